// Contacts: Autotask stamps ContactModel.lastModifiedDate (a date-time, read-only for API users) on
// every create and update [S: spec/autotask-openapi.json ContactModel.lastModifiedDate; read-only per
// ALWAYS_READ_ONLY in ../entities.ts]. What the stamp covers beyond the contact's own fields (e.g. a
// note added to it) is unverified; the simulator stamps writes to the contact itself.
import type { SimRuleModule } from './index';

export const contacts: SimRuleModule = {
  name: 'contacts',
  entities: ['Contacts'],
  beforeCreate(ctx, _entity, values) {
    values.lastModifiedDate = ctx.now();
  },
  beforeUpdate(ctx, _entity, next) {
    next.lastModifiedDate = ctx.now();
  },
};
