// Runs an operator command with a Temporal session, closing it afterwards. While the command waits,
// the engine is watched: if it goes away the command ends with a message saying so, instead of
// waiting on a workflow nothing will run.
import { loadConfig } from '../config';
import { watchEngine } from '../client/engine-watch';
import { openOperatorSession, type OperatorSession } from '../client/operator';

export async function withSession<T>(fn: (session: OperatorSession) => Promise<T>): Promise<T> {
  const session = await openOperatorSession(loadConfig());
  const watch = watchEngine({ client: session.client, taskQueue: session.taskQueue, enginePid: session.enginePid, address: session.address });
  try {
    return await Promise.race([fn(session), watch.gone]);
  } finally {
    watch.stop();
    await session.close();
  }
}
