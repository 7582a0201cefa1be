# ---------------------------------------------------------------------------------------------
# The run folder's history files, byte for byte as `nnc train` writes them (numbers as JavaScript
# prints them), so that nnc draws the curves of a PyTorch run exactly as those of its own.
# ---------------------------------------------------------------------------------------------


def js_number(value):
    """A number as JavaScript's String() prints it: 3 not 3.0, 1e-7 not 1e-07, 1e+21."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    # The shortest digits that read back as the value (repr's, which are JavaScript's), and the
    # position of the decimal point after them: value = 0.DIGITS x 10^point (JavaScript's n).
    _, digit_tuple, exponent = decimal.Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent
    sign = "-" if value < 0 else ""
    k = len(digits)
    if k <= point <= 21:
        text = digits + "0" * (point - k)
    elif 0 < point <= 21:
        text = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        text = "0." + "0" * -point + digits
    else:
        e = point - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def to_json(value, indent=""):
    """JSON.stringify(value, replacer, 2) as nnc writes its history: non-finite numbers as strings."""
    inner = indent + "  "
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = js_number(value)
        return json.dumps(text) if text in ("NaN", "Infinity", "-Infinity") else text
    if isinstance(value, str):
        return js_json(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{js_json(str(k))}: {to_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if not value:
        return "[]"
    return "[\n" + ",\n".join(inner + to_json(v, inner) for v in value) + "\n" + indent + "]"


def csv_text(header, rows):
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return js_number(value)
        return '"' + value.replace('"', '""') + '"' if re.search(r'[",\n\r]', value) else value

    return "\n".join(",".join(cell(v) for v in row) for row in [header] + rows) + "\n"


def validation_names(history):
    names = [f"val_{n}" for n in history["names"]]
    return [n for n in names if any(n in e["logs"] for e in history["epochs"]) or (history["initial"] is not None and n[4:] in history["initial"])]


def epochs_csv(history, shift):
    val = validation_names(history)
    header = ["epoch", "training_x", "validation_x", *history["names"], *val, "seconds", "samples_per_second"]
    rows = []
    if history["initial"]:
        rows.append([0, None, 0, *[None for _ in history["names"]], *[history["initial"].get(n[4:]) for n in val], None, None])
    for e in history["epochs"]:
        logs = e["logs"]
        rows.append([e["epoch"], e["epoch"] - shift, e["epoch"] if val else None, *[logs.get(n) for n in history["names"]],
                     *[logs.get(n) for n in val], e["seconds"], e["samplesPerSecond"]])
    return csv_text(header, rows)


def batches_csv(history):
    rows = [[b["epoch"], b["batch"], b["batches"], b["epoch"] - 1 + b["batch"] / b["batches"], b["loss"]] for b in history["batches"]]
    return csv_text(["epoch", "batch", "batches", "x", "loss"], rows)


def history_json(result, facts, shift):
    history = result["history"]
    document = dict(facts)
    document["status"] = result["status"]
    if result.get("bestEpoch") is not None:
        document["bestEpoch"] = result["bestEpoch"]
        document["restoredBest"] = result["restored"]
        document["monitor"] = result["monitor"]
    if result.get("divergence"):
        document["divergence"] = result["divergence"]
    document.update({
        "samplesPerSecond": result["samplesPerSecond"],
        "trainingShift": shift,
        "names": history["names"],
        "initial": history["initial"],
        "epochs": [{"epoch": e["epoch"], "trainingX": e["epoch"] - shift, "validationX": e["epoch"], **e["logs"],
                    "seconds": e["seconds"], "samplesPerSecond": e["samplesPerSecond"]} for e in history["epochs"]],
        "batches": [{**b, "x": b["epoch"] - 1 + b["batch"] / b["batches"]} for b in history["batches"]],
    })
    return to_json(document) + "\n"
