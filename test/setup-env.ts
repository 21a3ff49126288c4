// Runs in every test file: quiet logs (failure-path tests fail activities on purpose), and
// Temporal's own logs at WARN through our logger.
process.env.LOG_LEVEL ??= 'error';
const { installTemporalLogger } = require('../src/runtime/temporal-logger') as typeof import('../src/runtime/temporal-logger');

installTemporalLogger();
