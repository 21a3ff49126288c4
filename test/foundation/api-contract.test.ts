// The OpenAPI judge the simulators use: which operation a request matches, and what it reports.
import { ApiContract } from '../../src/spec/contract';

const doc = {
  swagger: '2.0',
  paths: {
    '/V1.0/Products/{id}': { get: { operationId: 'Products_Get', parameters: [{ in: 'path', name: 'id', type: 'integer', required: true }], responses: {} } },
    '/V1.0/Products/query': { post: { operationId: 'Products_Query', responses: {} } },
    '/V1.0/Products': {
      post: {
        operationId: 'Products_Create',
        parameters: [{ in: 'body', name: 'product', required: true, schema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } }],
        responses: { '200': { description: 'ok', schema: { type: 'object', properties: { itemId: { type: 'integer' } } } } },
      },
    },
    '/V1.0/Products/{parentId}/Vendors': { post: { operationId: 'Vendors_Create', responses: {} } },
    '/{tenant}/orders/{orderId}': { get: { operationId: 'Orders_Get', responses: {} } },
    '/token': { post: { operationId: 'Token', responses: {} } },
  },
};

describe('ApiContract', () => {
  const contract = new ApiContract(doc, { basePaths: ['/atservicesrest'] });

  it('prefers a literal route over a templated one, in any case, after the base path', () => {
    expect(contract.match('POST', '/atservicesrest/V1.0/Products/query')?.operationId).toBe('Products_Query');
    expect(contract.match('post', '/ATSERVICESREST/v1.0/products/QUERY')?.operationId).toBe('Products_Query');
    expect(contract.match('GET', '/atservicesrest/V1.0/Products/query')).toMatchObject({ operationId: 'Products_Get', params: { id: 'query' } });
    expect(contract.match('POST', '/V1.0/Products/42/Vendors')).toMatchObject({ operationId: 'Vendors_Create', params: { parentId: '42' } });
    expect(contract.match('POST', '/V1.0/Products/')?.operationId).toBe('Products_Create');
  });

  it('matches routes with a parameter among the first segments, and single-segment routes', () => {
    expect(contract.match('GET', '/acme/orders/7?x=1')).toMatchObject({ operationId: 'Orders_Get', params: { tenant: 'acme', orderId: '7' } });
    expect(contract.match('GET', '/other/orders/8')?.params).toEqual({ tenant: 'other', orderId: '8' });
    expect(contract.match('POST', '/token')?.operationId).toBe('Token');
  });

  it('finds no operation for an unknown path or method, however often asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(contract.match('DELETE', '/V1.0/Products/1')).toBeNull();
      expect(contract.match('GET', '/V1.0/Nothing/1')).toBeNull();
    }
    expect(contract.validateRequest({ method: 'GET', path: '/V1.0/Nothing' })).toEqual(['GET /V1.0/Nothing: no such operation in the spec']);
  });

  it('reports request and response violations against the matched operation', () => {
    expect(contract.validateRequest({ method: 'POST', path: '/V1.0/Products', body: { sku: 'A' } })).toEqual([]);
    expect(contract.validateRequest({ method: 'POST', path: '/V1.0/Products', body: {} })[0]).toMatch(/^POST \/V1.0\/Products: body must have required property 'sku'/);
    expect(contract.validateRequest({ method: 'GET', path: '/V1.0/Products/abc' })[0]).toMatch(/path parameter "id" must be integer/);
    expect(contract.validateResponse({ method: 'POST', path: '/V1.0/Products' }, 200, { itemId: 'x' })[0]).toMatch(/response 200\/itemId must be integer/);
  });
});
