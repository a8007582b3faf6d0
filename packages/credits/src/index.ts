export { CreditLink, type CreditLinkOptions } from './credit-link.js';
export { CreditPool, NoCapacityError, type Lease } from './credit-pool.js';
export { WorkerClient } from './worker-client.js';
