/**
 * The language service, browser-safe: `createLanguageService()` answers editor requests for
 * `.nn` documents in nnc's own plain types. See language-service.ts and types.ts.
 */
export { createLanguageService, type LanguageService } from './language-service.js';
export type * from './types.js';
export { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './types.js';
