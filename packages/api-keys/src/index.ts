export { API_KEY_PREFIX, generateApiKey, isWellFormedApiKey } from './api-key-format.js';
export { ApiKeyHasher } from './api-key-hash.js';
export { modelAllowed } from './model-patterns.js';
export { PRINCIPAL_HEADER, signIdentity, verifyIdentity, type ForwardedIdentity } from './forwarded-principal.js';
