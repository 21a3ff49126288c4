// Ingram page lanes (productSync.parallelPages): lane cursors deal the catalog's pages out by
// (page - 1) mod lanes, each lane reads its own once, and a resumed run starts below every lane.
import { formatCursor, parseCursor } from '../../src/distributors/ingram/adapter';
import { CATALOG, useIngramSim } from './helpers';

describe('Ingram adapter: page lanes', () => {
  const h = useIngramSim({ catalog: { skus: 1_000 } });

  it('keeps reading cursors from before lanes, and writes the stride only in a lane', () => {
    expect(parseCursor('p=4;s=100', 50)).toEqual({ page: 4, size: 100, stride: 1 });
    expect(parseCursor('p=4;s=100;k=3', 50)).toEqual({ page: 4, size: 100, stride: 3 });
    expect(formatCursor(4, 100)).toBe('p=4;s=100');
    expect(formatCursor(4, 100, 3)).toBe('p=4;s=100;k=3');
    expect(() => parseCursor('p=4;s=100;k=0', 50)).toThrow('Not an Ingram catalog cursor.');
  });

  it('three lanes read every page exactly once, together the whole catalog', async () => {
    const adapter = h.adapter({ pageSize: 37 });
    const byPage = new Map<number, string[]>();
    for (let lane = 0; lane < 3; lane++) {
      let cursor: string | null = adapter.laneCursor(lane, 3);
      expect(parseCursor(cursor, 37)).toEqual({ page: lane + 1, size: 37, stride: 3 });
      while (cursor) {
        const page = await adapter.fetchProductPage(cursor);
        const { page: n } = parseCursor(cursor, 37);
        expect(byPage.has(n)).toBe(false);
        expect((n - 1) % 3).toBe(lane);
        byPage.set(n, page.items.map((p) => p.distributorSku));
        cursor = page.nextCursor;
      }
    }
    const pages = Math.ceil(1_000 / 37);
    expect([...byPage.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    expect(h.count(CATALOG)).toBe(pages);
    expect([...byPage].sort(([a], [b]) => a - b).flatMap(([, skus]) => skus)).toEqual(h.sim.catalog.expectedSkus());
  });

  it('a lane that starts past the end ends at once', async () => {
    const adapter = h.adapter({ pageSize: 100 });
    // Ten pages; from page 10, lane 7 of 8 starts at page 16.
    const page = await adapter.fetchProductPage(adapter.laneCursor(7, 8, 'p=10;s=100'));
    expect(page).toMatchObject({ items: [], nextCursor: null });
  });

  it('resumes below every lane, with any number of lanes', () => {
    const adapter = h.adapter({ pageSize: 37 });
    // Lane 1 ended; lanes 0 and 2 are at pages 10 and 6: every page below 6 is done.
    const from = adapter.laneResume(['p=10;s=37;k=3', null, 'p=6;s=37;k=3']);
    expect(from).toBe('p=6;s=37');
    expect(adapter.laneResume([null, null])).toBeNull();
    // Two lanes from page 6: page 6 is lane 1's ((6 - 1) mod 2), page 7 lane 0's.
    expect(adapter.laneCursor(0, 2, from)).toBe('p=7;s=37;k=2');
    expect(adapter.laneCursor(1, 2, from)).toBe('p=6;s=37;k=2');
    // A run resumed in one lane continues one page at a time.
    expect(adapter.laneCursor(0, 1, from)).toBe('p=6;s=37');
  });
});
