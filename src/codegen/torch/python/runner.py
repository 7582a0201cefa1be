"""Runs generated model.py/train.py pairs for nnc: `nnc gradcheck --against torch` and the parity tests.

Reads one JSON job on stdin and writes one JSON result on stdout, so that torch is imported once for
many models. A job lists cases; each names a folder holding model.py and train.py, the weights in
nnc's names and layouts, a batch, and what to compute:

- "gradients": the outputs, the loss train.py trains (in training mode, dropout off) and the
  gradient of every trainable weight, in each dtype asked for;
- "steps": the weights after training steps on the given batches with train.py's optimizer,
  loss and clipping, as its loop takes them;
- "data": the samples train.py reads from data files by nnc train's column rules, or its error.
"""

import importlib.util
import json
import math
import sys

import torch


def load(folder, tag):
    """model.py and train.py of one folder, as fresh modules (every case its own `model`)."""
    sys.modules.pop("model", None)
    sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(f"nnc_train_{tag}", f"{folder}/train.py")
        train = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(train)
    finally:
        sys.path.remove(folder)
    return train, sys.modules.pop("model")


def tensor(spec, dtype):
    integer = spec.get("dtype") == "int32"
    return torch.tensor(spec["data"], dtype=torch.float64).to(torch.int64 if integer else dtype).reshape(spec["shape"])


def flat(t):
    return [v if math.isfinite(v) else repr(v) for v in t.detach().double().reshape(-1).tolist()]


def prepared(case, train, module, dtype):
    """The model in dtype with the case's weights, in training mode (batch statistics), dropout off."""
    model = train.Model().to(dtype)
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    weights = {name: torch.tensor(w["data"], dtype=torch.float64).to(dtype).reshape(w["shape"]) for name, w in case["weights"].items()}
    module.load_nnc_weights(model, weights)
    model.train(case.get("training", True))
    return model


def gradients(case, train, module, dtype):
    model = prepared(case, train, module, dtype)
    xs = [tensor(x, dtype).requires_grad_(not x.get("dtype")) for x in case["inputs"]]
    ys = [tensor(y, dtype) for y in case["targets"]]
    predictions = train.as_list(model(*xs))
    per_output = train.sample_losses(predictions, ys)
    loss = train.weighted_total(per_output).mean()
    if loss.requires_grad:
        loss.backward()
    grads = module.nnc_gradients(model)
    return {
        "outputs": [flat(p) for p in predictions],
        "loss": float(loss),
        "perOutput": [float(l.mean()) for l in per_output],
        "gradients": {name: (None if g is None else flat(g)) for name, g in grads.items()},
        "inputGradients": [None if x.grad is None else flat(x.grad) for x in xs],
    }


def steps(case, train, module, dtype):
    """Training steps as train.py's loop takes them in one process: mean weighted loss, backward, clipnorm, step."""
    model = prepared(case, train, module, dtype)
    optimizer = train.make_optimizer(model.parameters())
    trainable = [p for p in model.parameters() if p.requires_grad]
    losses = []
    for batch in case["batches"]:
        xs = [tensor(x, dtype) for x in batch["inputs"]]
        ys = [tensor(y, dtype) for y in batch["targets"]]
        loss = train.weighted_total(train.sample_losses(train.as_list(model(*xs)), ys)).mean()
        loss.backward()
        if train.TRAIN["clipnorm"] > 0:
            train.clip_gradients(trainable, train.TRAIN["clipnorm"])
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss))
    weights = module.nnc_weights(model)
    return {"losses": losses, "weights": {name: flat(w) for name, w in weights.items()}}


def data(case, train):
    """What train.py --check-data writes, or the DataError it reports."""
    try:
        prepared = train.prepare_data(case["data"], case.get("val"), train.parse_columns(case.get("columns", [])))
    except (train.DataError, train.UsageError) as error:
        return {"error": str(error)}

    def dataset(d):
        return None if d is None else {"size": d.size, "inputs": [t.reshape(-1).tolist() for t in d.inputs], "targets": [t.reshape(-1).tolist() for t in d.targets]}

    return {"train": dataset(prepared.train), "validation": dataset(prepared.validation), "classNames": prepared.train.class_names,
            "notes": prepared.notes, "columns": train.describe_columns(prepared)}


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(1)
    results = []
    for i, case in enumerate(job["cases"]):
        try:
            train, module = load(case["folder"], i)
            if case["kind"] == "data":
                results.append({"id": case["id"], "data": data(case, train)})
                continue
            run = gradients if case["kind"] == "gradients" else steps
            results.append({"id": case["id"], "dtypes": {name: run(case, train, module, getattr(torch, name)) for name in case["dtypes"]}})
        except Exception as error:  # one broken case is reported, the others still run
            results.append({"id": case["id"], "error": f"{type(error).__name__}: {error}"})
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
