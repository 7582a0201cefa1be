import { defineConfig } from 'vite';
import nnc from 'nnc/vite';

// `.nn` imports become TensorFlow.js modules; model.d.nn.ts is written beside each .nn file.
export default defineConfig({
  plugins: [nnc()],
  build: { target: 'es2022' },
});
