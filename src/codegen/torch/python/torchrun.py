"""torchrun, as nnc train --engine torch starts it: python -c THIS [torchrun's arguments].

torch before 2.0 reads torchrun's --redirects and --tee defaults ("0") as None under Python 3.11,
whose enum iteration skips zero and multi-bit flags, and then starts no worker ("'NoneType' object
has no attribute 'get'"). Where that is so, the flags are read again by value; otherwise this is
torchrun itself.
"""

import re
import sys

from torch.distributed.elastic.multiprocessing import api

if api.Std.from_str("0") is None:

    def from_str(cls, text):
        if re.match(api._VALUE_REGEX, text):
            return cls(int(text))
        if re.match(api._MAPPING_REGEX, text):
            return {int(rank): cls(int(value)) for rank, value in (item.split(":") for item in text.split(","))}
        raise ValueError(f"{text} does not match: <{api._VALUE_REGEX}> or <{api._MAPPING_REGEX}>")

    api.Std.from_str = classmethod(from_str)

from torch.distributed.run import main  # noqa: E402

sys.argv[0] = "torchrun"
sys.exit(main())
