#!/usr/bin/env node
// Prints a new API key in the platform's format (infra uses it for the bootstrap operator key).
import { generateApiKey } from '../api-key-format.js';

console.log(generateApiKey());
