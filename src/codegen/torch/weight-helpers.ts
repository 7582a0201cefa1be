/**
 * The end of model.py: converting weights between the module and nnc's names and layouts, which
 * are the TensorFlow.js target's (dense kernels [in, out], conv kernels [kh, kw, in, out]). The
 * parity tests, `nnc gradcheck --against torch` and users loading weights trained elsewhere use them.
 */
export const WEIGHT_HELPERS = String.raw`def _to_torch(value, layout):
    if layout == "transpose":
        return value.t()
    return value.permute(3, 2, 0, 1) if layout == "conv2d" else value


def _to_nnc(value, layout):
    if layout == "transpose":
        return value.t()
    return value.permute(2, 3, 1, 0) if layout == "conv2d" else value


def load_nnc_weights(model, weights):
    """Sets every weight of model from weights: nnc's names ("hidden/dense_1/kernel") mapped to
    arrays or tensors in nnc's layout, such as the float64 engine's or a trained tfjs model's."""
    missing = [name for name, _, _ in WEIGHTS if name not in weights]
    if missing:
        raise KeyError(f"no value given for weight {missing[0]!r} ({len(missing)} of {len(WEIGHTS)} missing)")
    state = model.state_dict()
    with torch.no_grad():
        for name, path, layout in WEIGHTS:
            target = state[path]
            value = _to_torch(torch.as_tensor(weights[name], dtype=target.dtype), layout)
            if value.shape != target.shape:
                raise ValueError(f"weight {name!r} has shape {list(_to_nnc(value, layout).shape)}, "
                                 f"expected {list(_to_nnc(target, layout).shape)}")
            target.copy_(value)


def nnc_weights(model):
    """Every weight of the model under nnc's name, in nnc's layout: {name: tensor}."""
    state = model.state_dict()
    return {name: _to_nnc(state[path], layout).detach().clone() for name, path, layout in WEIGHTS}


def nnc_gradients(model):
    """The gradient of every trainable weight under nnc's name, in nnc's layout (None where none flowed)."""
    params = dict(model.named_parameters())
    return {
        name: None if params[path].grad is None else _to_nnc(params[path].grad, layout)
        for name, path, layout in WEIGHTS
        if path in params
    }`;
