# ---------------------------------------------------------------------------------------------
# Data: the files and column rules of `nnc train` (docs/training.md, "Data and columns"), so that
# both engines read the same samples, with the same class ids and the same validation split.
# ---------------------------------------------------------------------------------------------


class DataError(Exception):
    """A problem with the user's data; the message names the file and, where there is one, the row and column."""


# JavaScript's String.prototype.trim() set, which nnc's reader uses (Python's str.strip() differs a little).
JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# The largest float32, and the int32 range: a value beyond them would become Infinity, or wrap around.
FLOAT32_MAX = 3.4028234663852886e38
INT32 = (-(2**31), 2**31 - 1)


def js_json(value):
    """JSON.stringify of a string: JSON's escapes, lone surrogates escaped too."""
    text = json.dumps(value, ensure_ascii=False)
    return re.sub(r"[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group()), text)


def quote(text):
    """Names and cells in messages: backquoted, control characters escaped, long text cut."""
    clean = js_json(text)[1:-1].replace("`", "'")
    return "`" + (clean[:37] + "..." if len(clean) > 40 else clean) + "`"


def list_columns(columns):
    shown = ", ".join(quote(c) for c in columns[:12])
    return f"{shown} and {len(columns) - 12} more" if len(columns) > 12 else shown


class Table:
    """A data file as read: named columns and rows of raw cells, each row knowing where it came from."""

    def __init__(self, file, columns, rows, row_noun):
        self.file, self.columns, self.rows, self.row_noun = file, columns, rows, row_noun


class Row:
    def __init__(self, index, line, cells):
        self.index, self.line, self.cells = index, line, cells


def row_place(table, row):
    return f"{table.file}, {table.row_noun} {row.index}" + (f" (line {row.line})" if row.line is not None else "")


def cell_place(table, row, column):
    noun = f"column {column + 1}" if table.row_noun == "row" else "field"
    return f"{row_place(table, row)}, {noun} {quote(table.columns[column])}"


def format_of(file):
    match = re.search(r"\.([A-Za-z]+)$", file)
    extension = match.group(1).lower() if match else ""
    if extension == "json":
        return "json"
    if extension in ("jsonl", "ndjson"):
        return "jsonl"
    return "tsv" if extension == "tsv" else "csv"


def read_table(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        raise DataError(f"cannot read {path!r}: {error.strerror or error}") from None
    text = raw.decode("utf-8", errors="replace")
    kind = format_of(path)
    if kind == "json":
        table = parse_json(text, path)
    elif kind == "jsonl":
        table = parse_json_lines(text, path)
    else:
        table = parse_csv(text, path, "\t" if kind == "tsv" else ",")
    if not table.rows:
        after = " after the header" if kind in ("csv", "tsv") else ""
        raise DataError(f"{path}: no data {table.row_noun}s{after}")
    return table


def parse_csv(text, file, delimiter=","):
    """RFC 4180: a header row; quoted fields may hold delimiters, line breaks and doubled quotes;
    records end with LF or CRLF (or CR); blank lines are skipped and a byte order mark ignored."""
    records = split_records(text[1:] if text.startswith("\ufeff") else text, file, delimiter)
    if not records:
        raise DataError(f"{file}: the file is empty; it needs a header row naming the columns")
    header_line, header = records[0]
    columns = [name.strip(JS_SPACE) for name in header]
    seen = {}  # not columns.index(name) per column: a header of 200,000 columns would take minutes
    for i, name in enumerate(columns):
        if name == "":
            raise DataError(f"{file}, line {header_line}: column {i + 1} of the header has no name")
        first = seen.setdefault(name, i)
        if first < i:
            raise DataError(f"{file}, line {header_line}: the header names column {quote(name)} twice (columns {first + 1} and {i + 1})")
    rows = []
    for i, (line, cells) in enumerate(records[1:]):
        if len(cells) != len(columns):
            noun = "cell" if len(cells) == 1 else "cells"
            raise DataError(f"{file}, row {i + 1} (line {line}): {len(cells)} {noun}, but the header has {len(columns)} columns")
        rows.append(Row(i + 1, line, cells))
    return Table(file, columns, rows, "row")


def split_records(text, file, delimiter):
    plain = re.compile("[" + re.escape(delimiter) + "\r\n]")
    records, cells = [], []
    line = record_line = 1
    i, n = 0, len(text)

    def end_record():
        # A line holding nothing at all is blank, not a record with one empty cell.
        if not (len(cells) == 1 and cells[0] == ""):
            records.append((record_line, list(cells)))
        cells.clear()

    while i < n:
        if text[i] == '"':
            open_line = line
            value = []
            i += 1
            while True:
                close = text.find('"', i)
                if close < 0:
                    raise DataError(f"{file}, line {open_line}: a quoted field opened here is never closed (a `\"` is missing)")
                chunk = text[i:close]
                line += chunk.count("\n")
                value.append(chunk)
                if text.startswith('"', close + 1):
                    value.append('"')
                    i = close + 2
                    continue
                i = close + 1
                break
            cells.append("".join(value))
            if i < n and text[i] not in (delimiter, "\n", "\r"):
                raise DataError(f"{file}, line {line}: text after the closing quote of a field; write `\"\"` for a quote inside a quoted field")
        else:
            match = plain.search(text, i)
            end = match.start() if match else n
            cells.append(text[i:end])
            i = end
        if i < n and text[i] == delimiter:
            i += 1
            if i == n:
                cells.append("")
        elif i < n:
            i += 2 if text.startswith("\r\n", i) else 1
            end_record()
            line += 1
            record_line = line
    if cells:
        end_record()
    return records


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    names = {bool: "boolean", str: "string", int: "number", float: "number"}
    return f"a {names.get(type(value), type(value).__name__)}"


def _js_number(text):
    """A JSON number as JavaScript reads it: beyond the doubles, an infinity."""
    value = float(text)
    return value


class TableBuilder:
    def __init__(self, file):
        self.file = file
        self.columns = {}
        self.records = []

    def add(self, record, index, line):
        if not isinstance(record, dict):
            where = f"record {index} (line {line})" if line is not None else f"record {index}"
            raise DataError(f"{self.file}, {where}: expected an object such as {{\"x\": 1.5, \"y\": 0}}, found {_describe(record)}")
        values = {}
        self.flatten(record, "", values)
        self.records.append((index, line, values))

    def flatten(self, value, path, values):
        if isinstance(value, (dict, list)):
            entries = enumerate(value) if isinstance(value, list) else _js_key_order(value)
            for key, inner in entries:
                self.flatten(inner, str(key) if path == "" else f"{path}.{key}", values)
            return
        column = self.columns.setdefault(path, len(self.columns))
        values[column] = value

    def table(self):
        width = len(self.columns)
        rows = [Row(index, line, [values.get(i, MISSING) for i in range(width)]) for index, line, values in self.records]
        return Table(self.file, list(self.columns), rows, "record")


MISSING = object()


def _js_key_order(record):
    """Object keys in JavaScript's order: integer-like keys first, ascending, then the rest as written."""
    index_like = [k for k in record if re.fullmatch(r"0|[1-9][0-9]*", k) and int(k) < 2**32 - 1]
    rest = [k for k in record if k not in set(index_like)]
    return [(k, record[k]) for k in sorted(index_like, key=int) + rest]


def _load_json(text):
    return json.loads(text, parse_float=_js_number, parse_int=_js_number, parse_constant=_reject_constant)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_json(text, file):
    try:
        data = _load_json(text[1:] if text.startswith("\ufeff") else text)
    except ValueError as error:
        raise DataError(f"{file}: not valid JSON: {error}") from None
    if not isinstance(data, list):
        raise DataError(f"{file}: expected an array of records such as [{{\"x\": 1.5, \"y\": 0}}, ...], found {_describe(data)}; for one record per line name the file .jsonl")
    builder = TableBuilder(file)
    for i, record in enumerate(data):
        builder.add(record, i + 1, None)
    return builder.table()


def parse_json_lines(text, file):
    builder = TableBuilder(file)
    index = 0
    for i, raw in enumerate((text[1:] if text.startswith("\ufeff") else text).split("\n")):
        line = raw.strip(JS_SPACE)
        if line == "":
            continue
        try:
            record = _load_json(line)
        except ValueError as error:
            raise DataError(f"{file}, line {i + 1}: not valid JSON: {error}") from None
        index += 1
        builder.add(record, index, i + 1)
    return builder.table()


# Which columns feed each input and output: --columns, then the train block's columns, a column
# named NAME, columns NAME_0, NAME_1, ... (or NAME.0, ...), and in a model with one input and one
# output whatever the other does not take.

SOURCES = {
    "setting": "by the `train { columns }` setting",
    "option": "by `--columns`",
    "name": "by its name",
    "indexed": "by the convention NAME_0, NAME_1, ...",
    "rest": "as the columns left over (a model with one input and one output)",
}


def port_label(port):
    return f"{port['role']} `{port['name']}`"


def bind_columns(table, ports, setting, option):
    bindings = {}
    for port in ports:
        name = port["name"]
        if name in option or name in setting:
            source = "option" if name in option else "setting"
            patterns = option[name] if name in option else setting[name]
            bindings[name] = (match_patterns(table, port, patterns, source), source)
            continue
        if name in table.columns:
            bindings[name] = ([table.columns.index(name)], "name")
            continue
        indexed = re.compile(re.escape(name) + r"(?:[._][0-9]+)+")
        found = [i for i, c in enumerate(table.columns) if indexed.fullmatch(c)]
        if found:
            bindings[name] = (found, "indexed")
    inputs = [p for p in ports if p["role"] == "input"]
    outputs = [p for p in ports if p["role"] == "output"]
    if len(inputs) == 1 and len(outputs) == 1:
        bind_rest(table, inputs[0], outputs[0], bindings)
    for port in ports:
        if port["name"] not in bindings:
            unbound(table, port)
    return [(port, *bindings[port["name"]]) for port in ports]


def match_patterns(table, port, patterns, source):
    where = "`--columns`" if source == "option" else "the `train { columns }` setting"
    columns = []
    for pattern in patterns:
        if pattern.endswith("*"):
            matched = [i for i, c in enumerate(table.columns) if c.startswith(pattern[:-1])]
        else:
            matched = [table.columns.index(pattern)] if pattern in table.columns else []
        if not matched:
            raise DataError(f"{table.file}: {where} binds {port_label(port)} to {quote(pattern)}, which matches no column (the columns are {list_columns(table.columns)})")
        columns.extend(matched)
    return columns


def bind_rest(table, input_port, output_port, bindings):
    bound = [p for p in (input_port, output_port) if p["name"] in bindings]
    if len(bound) == 2 or len(table.columns) < 2:
        return
    if len(bound) == 1:
        other = output_port if bound[0] is input_port else input_port
        used = set(bindings[bound[0]["name"]][0])
        rest = [i for i in range(len(table.columns)) if i not in used]
        if rest:
            bindings[other["name"]] = (rest, "rest")
        return
    last = len(table.columns) - 1
    bindings[output_port["name"]] = ([last], "rest")
    bindings[input_port["name"]] = (list(range(last)), "rest")


def unbound(table, port):
    shape = port["shape"]
    size = math.prod(shape) if all(d is not None for d in shape) else None
    name = port["name"]
    if size == 1:
        convention = f"column named {quote(name)}"
    else:
        convention = f"column named {quote(name)}, nor columns {quote(name + '_0')}, {quote(name + '_1')}, ... (or {quote(name + '.0')}, ...)"
    raise DataError(
        f"{table.file}: no column for {port_label(port)}: there is no {convention}; the columns are {list_columns(table.columns)}. "
        f"Bind it with `columns = {{ {name}: [\"...\"] }}` in the train block or `--columns {name}=...`"
    )


def _fit(shape, count):
    """The shape with its one unknown dimension filled so that it holds count values, or None."""
    unknown = sum(1 for d in shape if d is None)
    known = math.prod(d for d in shape if d is not None)
    if unknown == 0:
        return list(shape) if known == count else None
    if unknown > 1 or count == 0 or count % known != 0:
        return None
    return [count // known if d is None else d for d in shape]


def _size_text(shape):
    known = [d for d in shape if d is not None]
    return str(math.prod(known)) if len(known) == len(shape) else f"a multiple of {math.prod(known)}"


def plan_port(table, port, columns, source):
    """The per-sample shape the bound columns fill, and the number of classes when they hold labels."""
    count = len(columns)
    shape = port["shape"]

    def mismatch(detail):
        names = list_columns([table.columns[c] for c in columns])
        bound = f"{count} {'column is' if count == 1 else 'columns are'} bound to it {SOURCES[source]} ({names})"
        raise DataError(f"{table.file}: {port_label(port)} has shape {format_shape(shape)}, {detail}, but {bound}")

    target = port.get("target")
    if target in ("labels", "labels-or-numbers"):
        classes = shape[-1]
        if classes is None:
            mismatch("whose number of classes is unknown")
        full = _fit(shape, count)
        if target == "labels-or-numbers" and full:
            return full, None
        rows = _fit(shape[:-1], count)
        if rows is not None:
            return rows + [classes], classes
        per_row = "one class label per sample" if len(shape) == 1 else f"{_size_text(shape[:-1])} class labels per sample"
        detail = f"so it takes {per_row}" if target == "labels" else f"so it takes {per_row} or {_size_text(shape)} numbers (one-hot)"
        mismatch(detail)
    full = _fit(shape, count)
    if full is None:
        mismatch(f"so it takes {_size_text(shape)} values per sample")
    return full, None


def format_shape(shape):
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def number_in(cell):
    """The number in a cell, or why there is none (a string)."""
    if cell is MISSING:
        return None, "the field is missing"
    if cell is None:
        return None, "the value is null"
    if isinstance(cell, bool):
        return (1.0 if cell else 0.0), None
    if isinstance(cell, float):
        return (cell, None) if math.isfinite(cell) else (None, f"{js_number(cell)} is not a finite number")
    text = cell.strip(JS_SPACE)
    if text == "":
        return None, "the cell is empty"
    if not NUMBER.fullmatch(text):
        return None, f"{quote(cell)} is not a number"
    value = float(text)
    return (value, None) if math.isfinite(value) else (None, f"{quote(cell)} is too large for a number")


def encode_numbers(table, port, columns, shape):
    integer = port["dtype"] == "int32"
    values = []
    for row in table.rows:
        for c in columns:
            value, problem = number_in(row.cells[c])
            if problem:
                raise DataError(f"{cell_place(table, row, c)}: {problem} (for {port_label(port)})")
            if integer and not float(value).is_integer():
                raise DataError(f"{cell_place(table, row, c)}: {js_number(value)} is not an integer, and {port_label(port)} is int32")
            if integer and not INT32[0] <= value <= INT32[1]:
                raise DataError(f"{cell_place(table, row, c)}: {quote(js_text(row.cells[c]))} is outside the range of int32 "
                                f"({INT32[0]} to {INT32[1]}), the dtype of {port_label(port)}")
            if not integer and abs(value) > FLOAT32_MAX:
                raise DataError(f"{cell_place(table, row, c)}: {quote(js_text(row.cells[c]))} is beyond the range of float32 (±3.4e38), "
                                f"in which {port_label(port)} is trained: it would become Infinity")
            values.append(value)
    dtype = torch.int64 if integer else torch.float32
    return torch.tensor(values, dtype=torch.float64).to(dtype).reshape([len(table.rows)] + shape)


def js_text(cell):
    """String(cell).trim(), as nnc quotes a cell's text."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return js_number(cell) if isinstance(cell, float) else str(cell).strip(JS_SPACE)


def label_in(cell):
    if isinstance(cell, float) and not isinstance(cell, bool):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip(JS_SPACE)
    if text == "":
        return None
    return float(text) if NUMBER.fullmatch(text) else text


def encode_labels(table, port, columns, shape, classes, known, class_names, binary=False):
    """Class labels to one-hot rows (or 0 and 1 for binary cross-entropy): ids when every label is a
    number, else names with ids in sorted order; known: the training data's names (None: it used ids)."""
    cells = []
    for row in table.rows:
        labels = []
        for c in columns:
            label = label_in(row.cells[c])
            if label is None:
                cell = row.cells[c]
                why = ("the field is missing" if cell is MISSING else "the value is null" if cell is None
                       else f"{'true' if cell else 'false'} is not a class label" if isinstance(cell, bool) else "the cell is empty")
                raise DataError(f"{cell_place(table, row, c)}: {why} ({port_label(port)} needs a class label)")
            labels.append(label)
        cells.append(labels)
    ids = known == IDS or (known is None and all(isinstance(l, float) for labels in cells for l in labels))
    names = None if ids else (list(known) if known is not None else sorted({js_label(l) for labels in cells for l in labels}, key=utf16))
    if names is not None and known is None and len(names) > classes:
        too_many_names(table, port, columns, cells, classes, len(names))
    if names is not None:
        class_names[port["name"]] = names
    by_name = {name: i for i, name in enumerate(names)} if names is not None else None
    width = 1 if binary else classes
    data = torch.zeros(len(table.rows) * len(columns) * width, dtype=torch.float32)
    for r, row in enumerate(table.rows):
        for j, label in enumerate(cells[r]):
            place = lambda: cell_place(table, row, columns[j])  # noqa: E731
            if by_name is not None:
                found = by_name.get(js_label(label))
                if found is None:
                    raise DataError(f"{place()}: class {quote(js_label(label))} does not occur in the training data (its classes are {list_columns(names)})")
                id = found
            elif isinstance(label, str):
                raise DataError(f"{place()}: {quote(label)} is not a class id, and the training data labels {port_label(port)} with class ids")
            else:
                if not label.is_integer():
                    raise DataError(f"{place()}: {js_number(label)} is not a class id (a whole number)")
                id = int(label)
            # Names were counted against the classes already: only an id can be out of range here.
            if id < 0 or id >= classes:
                raise DataError(f"{place()}: class id {id} is out of range: {port_label(port)} has {classes} classes, ids 0 to {classes - 1}")
            k = r * len(columns) + j
            if binary:
                data[k] = id
            else:
                data[k * classes + id] = 1
    return data.reshape([len(table.rows)] + shape)


IDS = "ids"  # the training data labelled an output with class ids, not names


def too_many_names(table, port, columns, cells, classes, count):
    """More class names than classes. The row blamed is the one that brings a name too many, in file
    order, or else one whose label holds a line break (usually a quote that swallowed its line's end)."""
    first = {}
    for r, labels in enumerate(cells):
        for j, label in enumerate(labels):
            first.setdefault(js_label(label), (r, columns[j]))
    in_order = list(first.items())
    broken = next((item for item in in_order if re.search(r"[\r\n]", item[0])), None)
    name, (row, column) = broken or in_order[classes]
    place = cell_place(table, table.rows[row], column)
    why = "; it spans lines, which usually means a quote left open swallowed the line break" if broken else ""
    raise DataError(f"{place}: {quote(name)} is a class name beyond the {classes} classes of {port_label(port)} "
                    f"(the labels hold {count} names: {list_columns([n for n, _ in in_order])}){why}")


def js_label(label):
    """A label as text, as JavaScript's String() writes it (class names are compared as text)."""
    return label if isinstance(label, str) else js_number(label)


def utf16(text):
    """JavaScript's < on strings compares UTF-16 code units."""
    return text.encode("utf-16-be", errors="surrogatepass")


def has_text(table, columns):
    for row in table.rows:
        for c in columns:
            cell = row.cells[c]
            if isinstance(cell, str) and cell.strip(JS_SPACE) != "" and not NUMBER.fullmatch(cell.strip(JS_SPACE)):
                return True
    return False


class Encoded:
    """A table as the model's tensors: inputs and targets in the model's order, the batch first."""

    def __init__(self, size, inputs, targets, plans, class_names):
        self.size, self.inputs, self.targets, self.plans, self.class_names = size, inputs, targets, plans, class_names

    def part(self, start, stop):
        return Encoded(stop - start, [t[start:stop] for t in self.inputs], [t[start:stop] for t in self.targets], self.plans, self.class_names)


def encode_table(table, setting, option, training_names=None):
    """Turns a table into tensors for PORTS; training_names: the training data's class names, which validation data must use."""
    bindings = bind_columns(table, PORTS, setting, option)
    class_names = {}
    tensors, plans = [], []
    for port, columns, source in bindings:
        shape, classes = plan_port(table, port, columns, source)
        plans.append((port, columns, source, shape, classes))
        name = port["name"]
        known = None if training_names is None else training_names.get(name, IDS)
        if classes is not None:
            tensors.append(encode_labels(table, port, columns, shape, classes, known, class_names))
        elif port.get("target") == "binary" and ((known is not None and known != IDS) or (training_names is None and has_text(table, columns))):
            tensors.append(encode_labels(table, port, columns, shape, 2, known, class_names, binary=True))
        else:
            tensors.append(encode_numbers(table, port, columns, shape))
    inputs = [t for t, p in zip(tensors, PORTS) if p["role"] == "input"]
    targets = [t for t, p in zip(tensors, PORTS) if p["role"] == "output"]
    return Encoded(len(table.rows), inputs, targets, plans, class_names)


class Prepared:
    def __init__(self, train, validation, columns, notes):
        self.train, self.validation, self.columns, self.notes = train, validation, columns, notes


def prepare_data(data_path, val_path, option):
    """The training data and the validation data (--val, else the last validation_split of the
    rows, before any shuffling, as Keras takes them), with notes worth a line each."""
    table = read_table(data_path)
    encoded = encode_table(table, COLUMNS, option)
    notes = []
    used = {c for _, columns, _, _, _ in encoded.plans for c in columns}
    ignored = [c for i, c in enumerate(table.columns) if i not in used]
    if ignored:
        noun = "column" if len(ignored) == 1 else "columns"
        notes.append(f"ignored {noun} of {table.file}: {', '.join(quote(c) for c in ignored)}")
    split = TRAIN["validation_split"]
    if val_path is not None:
        val_table = read_table(val_path)
        validation = encode_table(val_table, COLUMNS, option, encoded.class_names)
        unused = "; `validation_split` is not used" if split > 0 else ""
        notes.append(f"validation: {val_table.file} ({validation.size} {val_table.row_noun}s){unused}")
        return Prepared(encoded, validation, table.columns, notes)
    if split <= 0:
        return Prepared(encoded, None, table.columns, notes)
    at = math.floor(encoded.size * (1 - split))
    train, validation = encoded.part(0, at), (encoded.part(at, encoded.size) if at < encoded.size else None)
    if train.size == 0:
        n = encoded.size
        rows = f"{n} {table.row_noun}{'' if n == 1 else 's'}"
        held = validation.size if validation is not None else 0
        raise DataError(f"{table.file}: {rows}, and `validation_split = {js_number(split)}` holds out the last {held} for validation, "
                        "leaving none to train on: add rows, lower `validation_split`, or pass the validation data with --val")
    if validation is not None:
        notes.append(f"validation: the last {validation.size} {table.row_noun}s of {table.file} (validation_split = {js_number(split)})")
        notes.extend(sorted_split_warnings(encoded, train, validation))
    return Prepared(train, validation, table.columns, notes)


def sorted_split_warnings(encoded, train, validation):
    """A validation split that misses classes the training part has, or holds classes it lacks, usually means a sorted file."""
    warnings = []
    outputs = [plan for plan in encoded.plans if plan[0]["role"] == "output"]
    for i, (port, _, _, _, classes) in enumerate(outputs):
        if classes is None:
            continue
        in_train, in_validation = classes_in(train.targets[i], classes), classes_in(validation.targets[i], classes)
        names = encoded.class_names.get(port["name"])
        name = lambda id: names[id] if names and id < len(names) else str(id)  # noqa: E731
        missing = [c for c in in_train if c not in in_validation]
        unseen = [c for c in in_validation if c not in in_train]
        if unseen or (missing and len(in_validation) <= 1):
            what = (f"classes the training rows never show ({', '.join(name(c) for c in unseen)})" if unseen
                    else f"only class {name(next(iter(in_validation)))}")
            warnings.append(f"warning: the validation rows (the end of the file) hold {what} of output `{port['name']}`: the file looks sorted; shuffle its rows or pass --val")
    return warnings


def classes_in(one_hot, classes):
    """The classes present, in the order they first occur."""
    positions = torch.nonzero(one_hot.reshape(-1) == 1).flatten().tolist()
    return list(dict.fromkeys(k % classes for k in positions))


HOW = {
    "setting": "the train block's `columns`",
    "option": "`--columns`",
    "name": "named like it",
    "indexed": "NAME_0, NAME_1, ...",
    "rest": "the other columns",
}


def describe_columns(prepared):
    """Which columns feed each input and output, and the class ids of text labels (as nnc train prints it)."""
    plans = prepared.train.plans
    width = max(len(plan[0]["name"]) for plan in plans)
    lines = ["columns:"]
    for port, columns, source, _, classes in plans:
        names = [prepared.columns[c] for c in columns]
        shown = f"{', '.join(names[:3])}, ... {names[-1]} ({len(names)} columns)" if len(names) > 6 else ", ".join(names)
        known = prepared.train.class_names.get(port["name"])
        labels = ("; classes " + ", ".join(f"{c} = {i}" for i, c in enumerate(known)) if known
                  else f"; class ids 0 to {classes - 1}" if classes is not None else "")
        lines.append(f"  {port['name'].ljust(width)} <- {shown} ({HOW[source]}){labels}")
    return "\n".join(lines)


def parse_columns(values):
    """--columns features=sepal_*,petal_* --columns species=species, as nnc train reads it."""
    columns = {}
    for value in values:
        current = None
        for item in value.split(","):
            eq = item.find("=")
            pattern = item[eq + 1:] if eq >= 0 else item
            if eq >= 0:
                name = item[:eq].strip(JS_SPACE)
                if name == "":
                    raise UsageError(f"--columns: `{item}` has no input or output name before `=`")
                current = columns[name] = []
            elif current is None:
                raise UsageError(f"--columns takes NAME=COLUMN[,COLUMN...], found `{value}`")
            if pattern.strip(JS_SPACE) == "":
                raise UsageError(f"--columns: an empty column name in `{value}`")
            current.append(pattern.strip(JS_SPACE))
    names = [p["name"] for p in PORTS]
    for name in columns:
        if name not in names:
            listed = ", ".join(f"`{n}`" for n in names)
            raise UsageError(f"--columns names `{name}`, which is neither an input nor an output of the model ({listed})")
    return columns
