// Runs in every test file: Temporal's own logs at WARN, through our logger.
import { installTemporalLogger } from '../src/runtime/temporal-logger';

installTemporalLogger();
