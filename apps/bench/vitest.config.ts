import { reelhouseTestConfig } from '../../vitest.shared.ts';

export default reelhouseTestConfig({ databases: true });
