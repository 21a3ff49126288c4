import { countUdfFilters, f, queryModel } from '../../src/autotask/query';

describe('filter builder', () => {
  it('builds the full grammar', () => {
    const filter = f.and(f.eq('isActive', true), f.or(f.beginsWith('sku', 'TD-'), f.in('id', [1, 2])), f.exist('sku'), f.udf.eq('Source', 'td'));
    expect(filter).toEqual({
      op: 'and',
      items: [
        { op: 'eq', field: 'isActive', value: true },
        { op: 'or', items: [{ op: 'beginsWith', field: 'sku', value: 'TD-' }, { op: 'in', field: 'id', value: [1, 2] }] },
        { op: 'exist', field: 'sku' },
        { op: 'eq', field: 'Source', value: 'td', udf: true },
      ],
    });
    expect(countUdfFilters([filter])).toBe(1);
  });

  it('defaults to the all-records filter', () => {
    expect(queryModel(undefined)).toEqual({ filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(queryModel(f.eq('sku', 'X'), { includeFields: ['id'], maxRecords: 10 })).toEqual({ filter: [{ op: 'eq', field: 'sku', value: 'X' }], includeFields: ['id'], maxRecords: 10 });
    // Autotask rejects includeFields without id once results span pages: always sent.
    expect(queryModel(undefined, { includeFields: ['sku'] }).includeFields).toEqual(['id', 'sku']);
  });
});
