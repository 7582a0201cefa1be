import { UniqueNames } from '../tfjs/names.js';
import { pyIdentifier } from './python.js';

/**
 * The Python names of model.py: module attributes (one per layer, `self.hidden_dense_1`) and the
 * locals of `forward` (one per input and node, `hidden`). Both come from the source names, made
 * valid and unique in the order they are claimed.
 */

/**
 * nn.Module's own attributes in torch 1.13 and 2.x, and the model class's: a layer named like one
 * would replace it. Names starting with `_` are torch's too, and get a `layer` prefix.
 */
const MODULE_ATTRIBUTES = new Set([
  'T_destination', 'add_module', 'apply', 'bfloat16', 'buffers', 'call_super_init', 'children', 'compile', 'cpu', 'cuda',
  'double', 'dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state', 'get_parameter',
  'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers', 'named_children', 'named_modules',
  'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer', 'register_forward_hook',
  'register_forward_pre_hook', 'register_full_backward_hook', 'register_full_backward_pre_hook',
  'register_load_state_dict_post_hook', 'register_load_state_dict_pre_hook', 'register_module', 'register_parameter',
  'register_state_dict_post_hook', 'register_state_dict_pre_hook', 'requires_grad_', 'set_extra_state', 'set_submodule',
  'share_memory', 'state_dict', 'to', 'to_empty', 'train', 'training', 'type', 'xpu', 'zero_grad',
  'reset_parameters', 'input_names', 'output_names',
]);

/**
 * What forward's code refers to besides its locals: the imports and every helper an op may emit
 * (test/codegen/torch checks that each helper's name is here).
 */
export const MODEL_GLOBALS = new Set([
  'self', 'torch', 'nn', 'F', 'same_padding', 'Conv2d', 'BatchNorm', 'batch_moments', 'max_pool2d', 'avg_pool2d',
  'global_max_pool2d', 'GlobalMaxPool2d', 'maximum', 'minimum',
]);

export class ModelNames {
  private readonly attributes = new UniqueNames();
  private readonly locals = new UniqueNames();

  /** The attribute holding a layer's module. */
  attribute(layerId: string): string {
    const base = pyIdentifier(layerId, MODULE_ATTRIBUTES);
    return this.attributes.claim(base.startsWith('_') ? `layer${base}` : base);
  }

  /** A local variable (or forward's parameter) named after a tensor. */
  local(text: string): string {
    return this.locals.claim(pyIdentifier(text, MODEL_GLOBALS));
  }
}
