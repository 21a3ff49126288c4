// Task queues and workflow ids, built only here, from business keys (never random).
export const TASK_QUEUE = 'autotask-bridge';

export const workflowIds = {
  engineCheck: (runKey: string) => `engine-check/${runKey}`,
};
