// The repository's rules, plus React's rules of hooks (a hook's missing dependency is a stale view).
import reactHooks from 'eslint-plugin-react-hooks';

import root from '../../eslint.config.mjs';

export default [...root, { files: ['src/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended }];
