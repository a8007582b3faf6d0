export { API_KEY_PREFIX, generateApiKey, isWellFormedApiKey } from './api-key-format.js';
export { ApiKeyHasher } from './api-key-hash.js';
export { modelAllowed } from './model-patterns.js';
