# ---------------------------------------------------------------------------------------------
# Training: one process, or one per device under torchrun (DistributedDataParallel), with the
# semantics of `nnc train`: the same losses, optimizer steps, clipping, logs, early stopping,
# divergence stop and run folder.
# ---------------------------------------------------------------------------------------------


class UsageError(Exception):
    """A bad command line, setting or run folder: reported as "error: ...", exit status 2."""


HALF = (torch.float16, torch.bfloat16)


def full(t):
    """Losses are computed in float32 (or float64) even when the forward pass ran in half precision."""
    return t.float() if t.dtype in HALF else t


def per_sample(rows):
    """Each sample's loss: the mean of its rows' (a prediction [B, ..., n] has rows [B, ...])."""
    return rows.reshape(rows.shape[0], -1).mean(dim=1)


def autocast(amp):
    """float16 autocast on GPUs with --amp; nothing otherwise (torch 1.13's CPU autocast refuses float16 even when off)."""
    return torch.autocast(device_type="cuda", dtype=torch.float16) if amp else contextlib.nullcontext()


def as_list(predictions):
    return list(predictions) if isinstance(predictions, (tuple, list)) else [predictions]


def sample_losses(predictions, targets):
    """Each output's loss per sample, unweighted, as the tfjs target computes it."""
    return [per_sample(fn(y, full(p))) for (fn, _), y, p in zip(LOSSES, targets, predictions)]


def weighted_total(per_output):
    """The loss trained: each output's loss times its weight, summed (per sample)."""
    return sum(weight * loss for (_, weight), loss in zip(LOSSES, per_output))


def sample_metrics(predictions, targets):
    return [per_sample(fn(targets[o], full(predictions[o]))) for _, o, fn in METRICS]


# The slots of the sums a step or an evaluation all-reduces:
# [weighted loss, each output's loss, each metric, sample count, stop requested].
SLOTS = 1 + len(LOSSES) + len(METRICS) + 2
COUNT, STOP = SLOTS - 2, SLOTS - 1


def logs_from(sums):
    """The logs under nnc's names (LOGS) from summed per-sample values."""
    count = float(sums[COUNT])
    mean = [float(v) / count for v in sums[:COUNT]]
    outputs, metrics = mean[1:1 + len(LOSSES)], mean[1 + len(LOSSES):COUNT]
    logs = {}
    for name, kind, arg in LOGS:
        logs[name] = mean[0] if kind == "loss" else outputs[arg] if kind == "output" else metrics[arg]
    return logs


LOG_NAMES = [name for name, _, _ in LOGS]


class World:
    """This process's place among torchrun's (RANK, WORLD_SIZE, LOCAL_RANK), its device, and the collectives."""

    def __init__(self, device):
        self.size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        if device == "cuda" and not torch.cuda.is_available():
            raise UsageError("--device cuda: torch sees no CUDA GPU here (torch.cuda.is_available() is False)")
        cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
        if cuda:
            torch.cuda.set_device(self.local_rank)
            self.device = torch.device("cuda", self.local_rank)
        else:
            self.device = torch.device("cpu")
        self.backend = ("nccl" if cuda else "gloo") if self.size > 1 else None
        if self.backend:
            dist.init_process_group(self.backend)

    @property
    def main(self):
        return self.rank == 0

    def sum(self, tensor):
        if self.size > 1:
            dist.all_reduce(tensor)
        return tensor

    def close(self):
        if self.backend and dist.is_initialized():
            dist.destroy_process_group()

    def describe(self):
        where = f"{self.device.type}" + (f" ({self.backend})" if self.backend else "")
        return f"PyTorch {torch.__version__} on {where}"


class StopRequest:
    """Ctrl-C stops after the current batch (on every process: the request rides in the step's
    all-reduce) and writes the run so far, as nnc train does; a second Ctrl-C quits at once, and
    the run folder is as it was (it is only ever replaced by renames). torchrun passes the
    terminal's Ctrl-C on to its workers, so a second SIGINT within a second is the same one."""

    def __init__(self, say):
        self.requested = False
        self.first = None
        self.say = say
        signal.signal(signal.SIGINT, self.interrupt)
        signal.signal(signal.SIGTERM, self.terminate)

    def interrupt(self, signum, frame):
        now = time.monotonic()
        if self.first is not None and now - self.first > 1.0:
            os._exit(130)
        if self.first is None:
            self.first = now
            self.requested = True
            self.say("note: interrupted: stopping after this batch to write what was trained; Ctrl-C again quits at once, writing nothing")

    def terminate(self, signum, frame):
        self.requested = True


class EarlyStopping:
    """Keras's EarlyStopping, as nnc train applies it: an epoch improves when the monitored value
    beats the best by more than min_delta; after `patience` epochs without one, training stops.
    With restore_best, the best epoch's weights are put back at the end. Without early stopping
    it only tracks the best epoch (by val_loss, else loss), so that Ctrl-C keeps a measured model."""

    def __init__(self, config, state=None):
        self.config = config
        self.best = math.inf if config["mode"] == "min" else -math.inf
        self.wait = 0
        self.best_epoch = 0
        self.weights = None
        if state:
            self.best, self.wait, self.best_epoch, self.weights = state["best"], state["wait"], state["best_epoch"], state["weights"]

    def update(self, epoch, value, module):
        c = self.config
        improved = value < self.best - c["min_delta"] if c["mode"] == "min" else value > self.best + c["min_delta"]
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if c["restore_best"]:
                self.weights = {k: v.detach().clone().cpu() for k, v in module.state_dict().items()}
            return False
        self.wait += 1
        return self.wait >= c["patience"]

    def restore(self, module, last_epoch):
        if self.weights is None or self.best_epoch == last_epoch:
            return False
        module.load_state_dict(self.weights)
        return True

    @property
    def monitor(self):
        return self.config["monitor"]

    def state(self):
        return {"best": self.best, "wait": self.wait, "best_epoch": self.best_epoch, "weights": self.weights}


def clip_gradients(parameters, clipnorm):
    """Keras's clipnorm: each gradient tensor whose L2 norm exceeds clipnorm is scaled down to it."""
    for p in parameters:
        if p.grad is not None:
            p.grad.mul_(clipnorm / torch.clamp(p.grad.norm(), min=clipnorm))


def non_finite_gradients(module):
    """The weights whose gradient holds a NaN or an infinity, by nnc's name, in model order."""
    params = dict(module.named_parameters())
    found = []
    for name, path, _ in WEIGHTS:
        grad = params[path].grad if path in params else None
        if grad is not None and not torch.isfinite(grad).all():
            found.append({"weight": name, "kind": "NaN" if torch.isnan(grad).any() else "Inf"})
    return found


def mix_seed(*parts):
    """A 63-bit seed from several integers (seed, epoch, rank): each epoch of each process its own dropout masks."""
    h = 0xCBF29CE484222325
    for part in parts:
        for byte in int(part).to_bytes(8, "little", signed=True):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h >> 1


@torch.no_grad()
def evaluate(module, data, world, batch, amp):
    """Loss and metrics over a dataset in inference mode, each process a share of it, all-reduced."""
    module.eval()
    sums = torch.zeros(SLOTS, dtype=torch.float64, device=world.device)
    rows = torch.arange(world.rank, data.size, world.size)
    size = max(batch, 256)
    for start in range(0, len(rows), size):
        index = rows[start:start + size]
        xs = [t[index].to(world.device, non_blocking=True) for t in data.inputs]
        ys = [t[index].to(world.device, non_blocking=True) for t in data.targets]
        with autocast(amp):
            predictions = as_list(module(*xs))
        per_output = sample_losses(predictions, ys)
        values = [weighted_total(per_output).sum(), *(l.sum() for l in per_output), *(m.sum() for m in sample_metrics(predictions, ys))]
        sums[:COUNT] += torch.stack(values).double()
        sums[COUNT] += len(index)
    module.train()
    return logs_from(world.sum(sums))


class Emitter:
    """Progress on the main process: nnc's text lines, or one JSON event per line for nnc itself."""

    def __init__(self, mode, main, quiet):
        self.mode, self.main, self.quiet = mode, main, quiet
        self.tty = mode == "text" and sys.stdout.isatty()
        self.open = False
        self.last = -math.inf

    def say(self, text, error=False):
        """A line for people: on the main process, and with --progress jsonl (nnc says its own) only errors."""
        if not self.main or ((self.quiet or self.mode == "jsonl") and not error):
            return
        if self.open:
            print(file=sys.stdout)
            self.open = False
        print(text, file=sys.stderr if error else sys.stdout, flush=True)

    def event(self, kind, **fields):
        if self.main and self.mode == "jsonl":
            print("@nnc " + to_json({"event": kind, **fields}).replace("\n", ""), flush=True)

    def batch(self, epoch, epochs, batch, batches, mean_loss, rate, **fields):
        self.event("batch", epoch=epoch, epochs=epochs, batch=batch, batches=batches, meanLoss=mean_loss, samplesPerSecond=rate, **fields)
        if not (self.main and self.tty and not self.quiet):
            return
        now = time.monotonic()
        if batch != batches and now - self.last < 0.1:
            return
        self.last = now
        filled = round(batch / batches * 20)
        line = f"{epoch_label(epoch, epochs)} [{'=' * filled}{' ' * (20 - filled)}] {batch}/{batches}  loss {format_value(mean_loss)}  {rate_text(rate)}"
        width = max(40, shutil.get_terminal_size().columns - 1)
        sys.stdout.write("\r\x1b[2K" + line[:width])
        sys.stdout.flush()
        self.open = True

    def epoch(self, record, epochs, best):
        self.event("epoch", record=record, epochs=epochs, best=best)
        if self.mode != "text" or not self.main or self.quiet:
            return
        names = [*LOG_NAMES, *[f"val_{n}" for n in LOG_NAMES]]
        logs = "  ".join(f"{n} {format_value(record['logs'][n])}" for n in names if n in record["logs"])
        line = f"{epoch_label(record['epoch'], epochs)}  {logs}  ({record['seconds']:.1f} s, {rate_text(record['samplesPerSecond'])}){'  *' if best else ''}"
        sys.stdout.write(("\r\x1b[2K" if self.tty else "") + line + "\n")
        sys.stdout.flush()
        self.open = False


def epoch_label(epoch, epochs):
    return f"epoch {str(epoch).rjust(len(str(epochs)))}/{epochs}"


def format_value(value):
    """A logged value as nnc prints it: 4 decimals in the usual range, else 4 significant digits."""
    if not math.isfinite(value):
        return js_number(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        mantissa, exponent = f"{value:.3e}".split("e")
        return f"{mantissa}e{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent))}"
    return f"{value:.4f}"


def rate_text(rate):
    return f"{math.floor(rate + 0.5):,} samples/s"


def out_problem(out):
    """Why out cannot take a run (a file, or a folder holding something else), or None."""
    if not os.path.exists(out):
        return None
    if not os.path.isdir(out):
        return f"`{out}` is a file; --out names the folder a run is written to"
    entries = os.listdir(out)
    if not entries or any(e in ("history.json", "model.json", "model.pt") for e in entries):
        return None
    return f"`{out}` is a folder that does not hold an nnc run (no history.json, model.json or model.pt), and train.py will not replace it: choose another --out"


def work_folder(out):
    """Where a run is written until it is complete: beside --out, found again by --resume."""
    parent, base = os.path.split(os.path.abspath(out))
    return os.path.join(parent, f".{base}.partial")


def publish(work, out):
    """Moves the finished run into place in two renames: out is the earlier run or the new one, never half of either."""
    out = os.path.abspath(out)
    aside = None
    if os.path.exists(out):
        aside = os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.{os.getpid()}.old")
        os.rename(out, aside)
    try:
        os.rename(work, out)
    except OSError:
        if aside:
            os.rename(aside, out)
        raise
    if aside:
        shutil.rmtree(aside, ignore_errors=True)


def write_file(folder, name, content):
    """Writes a file whole or not at all (a temporary file renamed over it)."""
    path = os.path.join(folder, name)
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "wb") as f:
        f.write(content.encode("utf-8") if isinstance(content, str) else content)
    os.replace(temp, path)


def save_torch(folder, name, value):
    path = os.path.join(folder, name)
    temp = f"{path}.{os.getpid()}.tmp"
    torch.save(value, temp)
    os.replace(temp, path)


ONNX_OPSETS = range(13, 18)  # 13 to 17: what torch 1.13's exporter writes (and the default of nnc's own exporter)


def export_onnx(folder, module, opset):
    """model.onnx beside model.pt: the trained module in inference mode (dropout off, batch_norm on
    its moving statistics), channels-last and named as in the .nn source, the batch dimension named
    "batch" as nnc's own exporter names it. Written whole or not at all; returns why it could not."""
    ports = {p["name"]: p for p in PORTS if p["role"] == "input"}
    frozen = copy.deepcopy(module).to(torch.device("cpu"), torch.float32).eval()
    dummies, axes = [], {}
    for name in Model.input_names:
        port = ports[name]
        # A batch of 2 and 2 for every other `?`: the exporter traces, and these axes stay symbolic.
        shape = [2, *(2 if size is None else size for size in port["shape"])]
        dummies.append(torch.zeros(shape, dtype=torch.int64 if port["dtype"] == "int32" else torch.float32))
        axes[name] = {0: "batch", **{i + 1: f"{name}_{i + 1}" for i, size in enumerate(port["shape"]) if size is None}}
    for name in Model.output_names:
        axes[name] = {0: "batch"}
    path = os.path.join(folder, "model.onnx")
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the tracer's warnings would mix with the progress stream
            torch.onnx.export(frozen, tuple(dummies), temp, input_names=list(Model.input_names), output_names=list(Model.output_names),
                              dynamic_axes=axes, opset_version=opset, do_constant_folding=True)
        os.replace(temp, path)
        return None
    except Exception as error:  # noqa: BLE001 - the run's model.pt stands; only the export is lost
        if os.path.exists(temp):
            os.remove(temp)
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


def load_checkpoint(path):
    """A checkpoint this script wrote. It holds optimizer settings and logs as Python floats, which
    torch 1.13's weights-only loader cannot read; it is trusted like the script itself."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # a torch without weights_only
        checkpoint = torch.load(path, map_location="cpu")
    except Exception as error:
        raise UsageError(f"--resume: cannot read the checkpoint `{path}`: {error}") from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != "nnc-torch-checkpoint":
        raise UsageError(f"--resume: `{path}` is not a checkpoint of train.py")
    return checkpoint


def positive_int(text):
    if not re.fullmatch(r"\s*[0-9]+\s*", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"takes an integer of at least 1, found `{text}`")
    return int(text)


def non_negative_int(text):
    if not re.fullmatch(r"\s*[0-9]+\s*", text):
        raise argparse.ArgumentTypeError(f"takes an integer of at least 0, found `{text}`")
    return int(text)


def opset_value(text):
    value = positive_int(text)
    if value not in ONNX_OPSETS:
        raise argparse.ArgumentTypeError(f"{value} is not an opset train.py exports: give {ONNX_OPSETS.start} to {ONNX_OPSETS.stop - 1}")
    return value


def shift_value(text):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"takes a number of epochs from 0 to 1, found `{text}`")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="train.py",
        description=f"Trains {MODEL_NAME} ({SOURCE}) with PyTorch as its train {{ }} block says: "
        "in one process (python train.py) or one per device with torchrun.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", required=True, help="training data: .csv, .tsv, .json (an array of records) or .jsonl")
    parser.add_argument("--val", help="validation data (default: the train block's validation_split of --data)")
    parser.add_argument("--epochs", type=positive_int, help="epochs (default: the train block's)")
    batch = parser.add_mutually_exclusive_group()
    batch.add_argument("--batch-size", type=positive_int, help="the global batch, split evenly over the processes (default: the train block's)")
    batch.add_argument("--per-device-batch", type=positive_int, help="the batch of each process instead: the global batch is this times the number of processes")
    parser.add_argument("--columns", action="append", default=[], metavar="NAME=COLUMN[,COLUMN...]",
                        help="columns of an input or output, `prefix*` allowed; overrides the train block (repeatable)")
    parser.add_argument("--seed", type=non_negative_int, help="seed of the initial weights, the shuffling and dropout (default: the train block's, else random)")
    parser.add_argument("--out", help=f"the run folder, replaced when the run is complete (default: runs/{MODEL_NAME})")
    parser.add_argument("--resume", nargs="?", const="", metavar="CHECKPOINT",
                        help="continue an interrupted run from its last checkpoint (that of --out by default)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="auto: a GPU per process when torch sees one, else the CPU")
    parser.add_argument("--sync-bn", action="store_true", help="batch_norm statistics over the global batch (all processes) instead of each process's")
    parser.add_argument("--amp", action="store_true", help="mixed precision (float16 autocast with loss scaling) on GPUs")
    parser.add_argument("--opset", type=opset_value, default=17, help="ONNX opset of model.onnx, 13 to 17 (default 17)")
    parser.add_argument("--no-onnx", action="store_true", help="do not export model.onnx beside model.pt")
    parser.add_argument("--train-shift", type=shift_value, default=0.5, help="draw each epoch's training mean at epoch minus this (default 0.5)")
    parser.add_argument("--progress", choices=["text", "jsonl"], default="text", help="jsonl: one JSON event per line (what nnc train reads)")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    parser.add_argument("--check-data", metavar="FILE.json",
                        help="read and encode the data, write the tensors to FILE.json, and exit without training")
    return parser.parse_args(argv)


def check_data(prepared, path):
    """The encoded samples as JSON, for comparing the column rules with nnc's own reader."""
    def dataset(data):
        if data is None:
            return None
        return {"size": data.size, "inputs": [t.reshape(-1).tolist() for t in data.inputs],
                "targets": [t.reshape(-1).tolist() for t in data.targets]}

    document = {"train": dataset(prepared.train), "validation": dataset(prepared.validation),
                "classNames": prepared.train.class_names, "notes": prepared.notes, "columns": describe_columns(prepared)}
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_json(document) + "\n")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    emitter = Emitter(args.progress, int(os.environ.get("RANK", "0")) == 0, args.quiet)
    try:
        return run(args, emitter)
    except UsageError as error:
        emitter.say(f"error: {error}", error=True)
        return 2
    except DataError as error:
        emitter.say(f"error: {error}\nnote: nothing was trained or written", error=True)
        return 2
    except RuntimeError as error:
        # Another process died (or its machine): this one's collective fails. torchrun reports the cause.
        size = int(os.environ.get("WORLD_SIZE", "1"))
        if size > 1 and re.search(r"gloo|NCCL|Connection|ProcessGroup|closed", str(error)):
            print(f"error: process {os.environ.get('RANK', '0')} of {size} lost its connection to the others "
                  f"({str(error).splitlines()[0]})", file=sys.stderr, flush=True)
            return 1
        raise


def run(args, emitter):
    option = parse_columns(args.columns)
    prepared = prepare_data(args.data, args.val, option)
    if args.check_data:
        check_data(prepared, args.check_data)
        return 0
    out = args.out or os.path.join("runs", MODEL_NAME)
    problem = out_problem(out)
    if problem:
        raise UsageError(problem)
    world = World(args.device)
    try:
        return train(args, world, prepared, out, emitter)
    finally:
        world.close()


def train(args, world, prepared, out, emitter):
    train_data, validation = prepared.train, prepared.validation
    if train_data.size == 0:
        raise UsageError("there are no training samples left once the validation samples are set aside")
    stopping_config = TRAIN["early_stopping"]
    if stopping_config and stopping_config["monitor"].startswith("val_") and validation is None:
        raise UsageError(f"early stopping monitors `{stopping_config['monitor']}`, but there is no validation data: "
                         "set `validation_split` in the train block or pass validation data")
    amp = args.amp and world.device.type == "cuda"
    if args.amp and not amp:
        emitter.say("warning: --amp is ignored: mixed precision needs CUDA GPUs, and this run is on the CPU", error=True)
    if args.per_device_batch:
        per_device, batch, choice = args.per_device_batch, args.per_device_batch * world.size, "--per-device-batch"
    else:
        batch = args.batch_size or TRAIN["batch_size"]
        if batch % world.size:
            raise UsageError(f"the global batch {batch} does not split evenly over {world.size} processes: "
                             f"give --batch-size a multiple of {world.size}, or --per-device-batch")
        per_device, choice = batch // world.size, "global"
    epochs = args.epochs or TRAIN["epochs"]
    seed = args.seed if args.seed is not None else TRAIN["seed"]
    seed_source = "flag" if args.seed is not None else "block" if seed is not None else "random"
    if seed is None:
        # Every process must draw the same seed: the main one picks it and sends it to the others.
        chosen = torch.tensor([int.from_bytes(os.urandom(4), "little") % 1_000_000], device=world.device)
        seed = int(world.sum(chosen if world.main else torch.zeros_like(chosen)).item())

    work = work_folder(out)
    checkpoint = None
    if args.resume is not None:
        path = args.resume or os.path.join(work, "checkpoint.pt")
        if not os.path.exists(path):
            raise UsageError(f"--resume: there is no checkpoint at `{path}` (an interrupted run of --out `{out}` leaves one there)")
        checkpoint = load_checkpoint(path)
        for key, value, what in (("signature", SIGNATURE, "another model or train block"), ("seed", seed, f"seed {checkpoint.get('seed')}"), ("batch", batch, f"global batch {checkpoint.get('batch')}")):
            if checkpoint.get(key) != value:
                raise UsageError(f"--resume: `{path}` comes from a run with {what}; resume with the settings it was written with")
    elif world.main and os.path.exists(os.path.join(work, "checkpoint.pt")):
        emitter.say(f"note: starting afresh; the checkpoint of an interrupted run in `{work}` is replaced (--resume continues it)", error=True)

    torch.manual_seed(seed)
    module = Model().to(world.device)
    if args.sync_bn:
        for m in module.modules():
            if hasattr(m, "sync"):
                m.sync = True
    optimizer = make_optimizer(module.parameters())
    scaler = (torch.amp.GradScaler("cuda") if hasattr(torch.amp, "GradScaler") else torch.cuda.amp.GradScaler()) if amp else None
    # As nnc train: the best epoch is tracked with a copy of its weights whether or not the block
    # stops early, so that Ctrl-C in the middle of an epoch goes back to a model that was measured.
    tracking = stopping_config or {"monitor": "val_loss" if validation is not None else "loss", "patience": math.inf,
                                   "min_delta": 0, "restore_best": True, "mode": "min"}
    stopping = EarlyStopping({**tracking, "restore_best": True}, checkpoint and checkpoint["stopping"])
    if checkpoint:
        module.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        if scaler and checkpoint.get("scaler"):
            scaler.load_state_dict(checkpoint["scaler"])
    model = DistributedDataParallel(module, device_ids=[world.local_rank] if world.device.type == "cuda" else None) if world.size > 1 else module
    trainable = [p for p in module.parameters() if p.requires_grad]

    params = PARAMS
    seed_text = {"flag": f"seed {seed}", "block": f"seed {seed} (from the train block)", "random": f"seed {seed} (chosen at random: --seed {seed} repeats this run)"}[seed_source]
    if world.size == 1:
        split = ""
    elif choice == "global":
        split = f" (global: {world.size} processes × {per_device} per device)"
    else:
        split = f" ({world.size} processes × --per-device-batch {per_device})"
    emitter.event("start", params=params, train=train_data.size, validation=validation.size if validation else None, epochs=epochs,
                  batch=batch, perDevice=per_device, world=world.size, batchChoice=choice, device=world.device.type, backend=world.backend,
                  torch=torch.__version__, seed=seed, resumedFrom=checkpoint["epoch"] if checkpoint else None, amp=amp, syncBn=args.sync_bn)
    if args.progress == "text":
        validating = f", validating on {validation.size:,}" if validation else ""
        emitter.say(f"Training {MODEL_NAME} ({params:,} params) on {train_data.size:,} samples{validating}: {epochs} epochs of batch {batch}"
                    f"{split}, {world.describe()}{', mixed precision' if amp else ''}, {seed_text}")
        emitter.say(describe_columns(prepared))
        for note in prepared.notes:
            emitter.say(note, error=note.startswith("warning:"))
        if stopping_config:
            emitter.say(f"early stopping on {stopping_config['monitor']} (patience {stopping_config['patience']}); * marks a new best")
    if checkpoint:
        emitter.say(f"resuming from the checkpoint of epoch {checkpoint['epoch']}")
    if world.main:
        os.makedirs(work, exist_ok=True)
        here = os.path.dirname(os.path.abspath(__file__))
        for name in ("model.py", "train.py"):
            source = os.path.join(here, name)
            if os.path.abspath(os.path.join(work, name)) != source:
                shutil.copyfile(source, os.path.join(work, name))

    history = checkpoint["history"] if checkpoint else {"names": LOG_NAMES, "initial": None, "epochs": [], "batches": []}
    if not checkpoint and validation is not None:
        history["initial"] = evaluate(module, validation, world, batch, amp)
    done = checkpoint["trained"] if checkpoint else {"samples": 0, "seconds": 0.0}
    stop = StopRequest(lambda text: emitter.say(text, error=True))
    sampler = DistributedSampler(range(train_data.size), num_replicas=world.size, rank=world.rank, shuffle=TRAIN["shuffle"], seed=seed, drop_last=False)
    batches = math.ceil(train_data.size / batch)
    status, divergence, stop_after_epoch = "completed", None, False
    first = checkpoint["epoch"] + 1 if checkpoint else 1
    if world.device.type == "cuda":
        train_data = train_data.part(0, train_data.size)
        train_data.inputs = [t.pin_memory() for t in train_data.inputs]
        train_data.targets = [t.pin_memory() for t in train_data.targets]

    for epoch in range(first, epochs + 1):
        emitter.event("epoch_begin", epoch=epoch, epochs=epochs, batches=batches)
        sampler.set_epoch(epoch)
        order = torch.tensor(list(sampler), dtype=torch.long)
        torch.manual_seed(mix_seed(seed, epoch, world.rank))
        sums = torch.zeros(SLOTS, dtype=torch.float64, device=world.device)
        start = time.perf_counter()
        for b in range(batches):
            index = order[b * per_device:(b + 1) * per_device]
            # DistributedSampler pads the epoch with repeated samples so that every process has as
            # many; those positions (beyond the data) weigh 0, so each step is the mean over
            # exactly the global batch a single process would take.
            positions = (b * per_device + torch.arange(len(index))) * world.size + world.rank
            mask = (positions < train_data.size).to(world.device, torch.float32)
            samples = min(batch, train_data.size - b * batch)
            xs = [t[index].to(world.device, non_blocking=True) for t in train_data.inputs]
            ys = [t[index].to(world.device, non_blocking=True) for t in train_data.targets]
            with autocast(amp):
                predictions = as_list(model(*xs))
            per_output = sample_losses(predictions, ys)
            total = weighted_total(per_output)
            objective = (total * mask).sum() * (world.size / samples)
            (scaler.scale(objective) if scaler else objective).backward()
            with torch.no_grad():
                values = [(total * mask).sum(), *((l * mask).sum() for l in per_output),
                          *((m * mask).sum() for m in sample_metrics(predictions, ys)), mask.sum(),
                          torch.tensor(float(stop.requested), device=world.device)]
                step = world.sum(torch.stack([v.double() for v in values]))
            loss = float(step[0] / step[COUNT])
            if scaler:
                scaler.unscale_(optimizer)
                broken = [] if math.isfinite(loss) else non_finite_gradients(module)
            else:
                check = float(torch.stack([p.grad.sum() for p in trainable if p.grad is not None] or [torch.zeros(())]).sum()) if trainable else 0.0
                broken = non_finite_gradients(module) if not (math.isfinite(loss) and math.isfinite(check)) else []
            if not math.isfinite(loss) or broken:
                divergence = {"epoch": epoch, "batch": b + 1, "batches": batches, "loss": loss, "gradients": broken, "totalWeights": len(trainable)}
                status = "diverged"
                optimizer.zero_grad(set_to_none=True)
                break
            if TRAIN["clipnorm"] > 0:
                clip_gradients(trainable, TRAIN["clipnorm"])
            if scaler:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            sums += step
            history["batches"].append({"epoch": epoch, "batch": b + 1, "batches": batches, "loss": loss})
            elapsed = time.perf_counter() - start
            rate = float(sums[COUNT]) / elapsed if elapsed > 0 else 0.0
            emitter.batch(epoch, epochs, b + 1, batches, float(sums[0] / sums[COUNT]), rate, loss=loss)
            if step[STOP] > 0:
                # After the epoch's last step the epoch is complete: it is measured like any other.
                if b == batches - 1:
                    stop_after_epoch = True
                else:
                    status = "interrupted"
                break
        if status in ("diverged", "interrupted"):
            break
        seconds = time.perf_counter() - start
        if sums[COUNT] == 0:
            break
        done["samples"] += int(sums[COUNT])
        done["seconds"] += seconds
        logs = logs_from(sums)
        if validation is not None:
            logs.update({f"val_{k}": v for k, v in evaluate(module, validation, world, batch, amp).items()})
        record = {"epoch": epoch, "logs": logs, "seconds": seconds, "samplesPerSecond": float(sums[COUNT]) / seconds if seconds > 0 else 0.0}
        history["epochs"].append(record)
        should_stop = stopping.update(epoch, logs[stopping.monitor], module)
        emitter.epoch(record, epochs, stopping_config is not None and stopping.best_epoch == epoch)
        if stop_after_epoch:
            status = "interrupted"
        elif should_stop and stopping_config and status == "completed" and epoch < epochs:
            status = "stopped-early"
        if world.main:
            save_torch(work, "checkpoint.pt", {
                "format": "nnc-torch-checkpoint", "version": 1, "signature": SIGNATURE, "seed": seed, "batch": batch, "epoch": epoch,
                "model": module.state_dict(), "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict() if scaler else None,
                "stopping": stopping.state(), "history": history, "trained": done,
            })
        if status != "completed":
            break

    last = history["epochs"][-1]["epoch"] if history["epochs"] else 0
    # A finished run restores as restore_best says; an interrupted one always goes back to its best finished epoch.
    restoring = status == "interrupted" or (status != "diverged" and stopping_config is not None and stopping_config["restore_best"])
    restored = restoring and stopping.restore(module, -1 if status == "interrupted" else last)
    has_weights = status != "diverged" and (status != "interrupted" or restored or stopping.best_epoch > 0)
    exit_code = 1 if status == "diverged" else 130 if status == "interrupted" else 0
    if not world.main:
        return exit_code
    best = (stopping_config is not None or status == "interrupted") and stopping.best_epoch > 0
    result = {"status": status, "history": history, "divergence": divergence, "restored": restored,
              "bestEpoch": stopping.best_epoch if best else None, "monitor": stopping.monitor, "hasWeights": has_weights,
              "samplesPerSecond": done["samples"] / done["seconds"] if done["seconds"] > 0 else 0.0}
    facts = {"model": MODEL_NAME, "source": SOURCE, "data": args.data, "validation": args.val, "backend": world.describe(),
             "seed": seed, "epochs": epochs, "batchSize": batch, "engine": "torch", "processes": world.size, "perDeviceBatch": per_device,
             "restoreBest": bool(stopping_config and stopping_config["restore_best"])}
    if has_weights:
        save_torch(work, "model.pt", {"format": "nnc-torch-model", "model": MODEL_NAME, "source": SOURCE, "state_dict": module.state_dict(),
                                      "inputs": list(Model.input_names), "outputs": list(Model.output_names), "classes": train_data.class_names})
    exported = has_weights and not args.no_onnx
    if exported:
        problem = export_onnx(work, module, args.opset)
        if problem:
            exported = False
            emitter.say(f"warning: model.pt is written, but the ONNX export failed ({problem}); model.onnx is left out", error=True)
    # A resumed run's folder may hold files of an earlier attempt that this one does not stand behind.
    for name, kept in (("model.pt", has_weights), ("model.onnx", exported)):
        if not kept and os.path.exists(os.path.join(work, name)):
            os.remove(os.path.join(work, name))
    if train_data.class_names:
        write_file(work, "classes.json", to_json(train_data.class_names) + "\n")
    write_file(work, "history.json", history_json(result, facts, args.train_shift))
    write_file(work, "history.csv", epochs_csv(history, args.train_shift))
    write_file(work, "batches.csv", batches_csv(history))
    if os.path.exists(os.path.join(work, "checkpoint.pt")):
        os.remove(os.path.join(work, "checkpoint.pt"))
    folder = out
    if not has_weights and holds_model(out):
        # A run without a model never replaces an earlier run's model: it goes beside it.
        folder = f"{out.rstrip('/')}-{status}"
        problem = out_problem(folder)
        if problem:
            emitter.say(f"error: this run has no model, so it does not replace the one in `{out}`, and its history cannot go beside it: {problem}", error=True)
            return exit_code
        emitter.say(f"note: `{out}` keeps its earlier run and model: this run has no model, so its history and curves go to `{folder}`")
    publish(work, folder)
    emitter.event("end", status=status, out=os.path.abspath(folder), restored=restored, bestEpoch=result["bestEpoch"])
    if args.progress == "text":
        report_end(emitter, result, folder)
    return exit_code


def holds_model(folder):
    """Whether folder holds a run with a trained model (of either engine)."""
    return os.path.isdir(folder) and any(f in os.listdir(folder) for f in ("model.pt", "model.json"))


def report_end(emitter, result, out):
    """How training ended, as nnc train says it (the curves' diagnosis comes from `nnc curves`)."""
    history = result["history"]
    names = [*LOG_NAMES, *[f"val_{n}" for n in LOG_NAMES]]
    show = lambda logs: "  ".join(f"{n} {format_value(logs[n])}" for n in names if n in logs)  # noqa: E731
    last = history["epochs"][-1] if history["epochs"] else None
    best = next((e for e in history["epochs"] if e["epoch"] == result["bestEpoch"]), None)
    if result["status"] == "diverged":
        d = result["divergence"]
        emitter.say(f"error: training diverged at epoch {d['epoch']}, batch {d['batch']} of {d['batches']} (loss {js_number(d['loss'])}); "
                    f"no model was saved (`nnc train --engine torch` explains what to try)", error=True)
    elif result["status"] == "interrupted":
        step = history["batches"][-1] if history["batches"] else None
        where = ("before the first step" if not step else f"after epoch {last['epoch']}" if last and step["epoch"] == last["epoch"]
                 else f"in epoch {step['epoch']}, after batch {step['batch']} of {step['batches']}")
        if not result["hasWeights"]:
            emitter.say(f"interrupted {where}, before any epoch finished: no model was written, only the history")
        else:
            emitter.say(f"interrupted {where}")
            if best:
                emitter.say(f"kept the weights of epoch {best['epoch']}, the best {result['monitor']}: {show(best['logs'])}")
    elif result["status"] == "stopped-early" and last:
        monitor = TRAIN["early_stopping"]["monitor"]
        emitter.say(f"stopped early after epoch {last['epoch']}: {monitor} did not improve on epoch {result['bestEpoch']} for {last['epoch'] - result['bestEpoch']} epochs")
    elif last:
        emitter.say(f"trained {last['epoch']} epochs ({rate_text(result['samplesPerSecond'])})")
    if result["status"] not in ("interrupted", "diverged"):
        if result["restored"] and best:
            emitter.say(f"restored the weights of epoch {best['epoch']}, the best {TRAIN['early_stopping']['monitor']}: {show(best['logs'])}")
        elif last:
            emitter.say(f"final: {show(last['logs'])}")
    files = sorted(os.listdir(out))
    emitter.say(f"wrote {out}: {', '.join(files)}")
    emitter.say(f"curves: `nnc curves {out}` draws them as nnc train does and says what they show")


if __name__ == "__main__":
    sys.exit(main())
