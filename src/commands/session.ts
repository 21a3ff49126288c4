// Runs an operator command with a Temporal session, closing it afterwards.
import { loadConfig } from '../config';
import { openOperatorSession, type OperatorSession } from '../client/operator';

export async function withSession<T>(fn: (session: OperatorSession) => Promise<T>): Promise<T> {
  const session = await openOperatorSession(loadConfig());
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
