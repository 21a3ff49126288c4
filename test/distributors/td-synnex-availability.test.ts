// Which TD SYNNEX warehouses count as availability (setting `availabilityWarehouses`): every one by
// default (the file's total on hand), or the ones named by id or city — the same from the price file
// and from the EC Express XML P&A call, against the simulator's records.
import { TdSynnexAdapter } from '../../src/distributors/td-synnex/adapter';
import { tdSynnexIntegration } from '../../src/distributors/td-synnex/definition';
import type { TdSynnexSettingsInput } from '../../src/distributors/td-synnex/settings';
import { startTdSynnexSim, type SimRecord, type TdSynnexSim } from '../../src/distributors/td-synnex/sim';

// The simulator stocks file columns 19, 21, 23, 25; its XML answer names them warehouses 503, 6, 7, 8 in
// Richardson, Chicago, Olive Branch and Keasby (the file's US cities for those columns).
const CHICAGO = 21;
const RICHARDSON = 19;

describe('TD SYNNEX availability by warehouse', () => {
  let sim: TdSynnexSim;
  const adapters: TdSynnexAdapter[] = [];
  const adapter = (overrides: Partial<TdSynnexSettingsInput> = {}) => {
    const a = new TdSynnexAdapter(sim.settings({ pageSize: 300, ...overrides }), sim.secrets, 'tds-test');
    adapters.push(a);
    return a;
  };
  const stock = (r: SimRecord, cols: number[]) => r.warehouses.filter((w) => cols.includes(w.col)).reduce((n, w) => n + w.quantity, 0);

  beforeAll(async () => {
    sim = await startTdSynnexSim({ catalog: { skus: 300, badRecordShare: 0 } });
  });
  afterAll(async () => {
    await sim.stop();
  });
  afterEach(async () => {
    for (const a of adapters.splice(0)) a.close();
    await sim.setFileAge(0);
    expect(sim.takeViolations()).toEqual([]);
  });

  /** Records stocked in Chicago and elsewhere too, and records stocked elsewhere only: where the setting matters. */
  function records() {
    const all = Array.from({ length: 300 }, (_, i) => sim.catalog.record(i, 0)).filter((r) => r.status === 'A');
    const mixed = all.filter((r) => stock(r, [CHICAGO]) > 0 && r.warehouses.some((w) => w.col !== CHICAGO)).slice(0, 5);
    const elsewhere = all.filter((r) => r.quantity > 0 && stock(r, [CHICAGO]) === 0).slice(0, 5);
    expect(mixed.length).toBeGreaterThan(0);
    expect(elsewhere.length).toBeGreaterThan(0);
    return [...mixed, ...elsewhere];
  }

  async function fromFile(a: TdSynnexAdapter, skus: string[]) {
    const page = await a.fetchProductPage(null);
    return skus.map((sku) => page.items.find((p) => p.distributorSku === sku)!.availability!);
  }

  it('counts every warehouse by default: the file total and the XML total', async () => {
    const recs = records();
    const file = await fromFile(adapter(), recs.map((r) => r.sku));
    expect(file.map((a) => a.total)).toEqual(recs.map((r) => r.quantity));
    await sim.setFileAge(48);
    const xml = await adapter().priceAndAvailability(recs.map((r) => r.sku));
    expect(xml.map((p) => p.availability!.total)).toEqual(recs.map((r) => r.quantity));
  });

  it('counts only the warehouses named by city, from the file and from the XML call alike', async () => {
    const recs = records();
    const want = recs.map((r) => stock(r, [CHICAGO]));
    const file = await fromFile(adapter({ availabilityWarehouses: ['chicago'] }), recs.map((r) => r.sku));
    expect(file.map((a) => a.total)).toEqual(want);
    expect(file.map((a) => a.available)).toEqual(want.map((q) => q > 0));
    expect(file.flatMap((a) => a.warehouses.map((w) => w.location))).toEqual(expect.arrayContaining(['Chicago, IL']));
    expect(file.every((a) => a.warehouses.every((w) => w.location === 'Chicago, IL'))).toBe(true);

    await sim.setFileAge(48);
    const xml = await adapter({ availabilityWarehouses: ['Chicago'] }).priceAndAvailability(recs.map((r) => r.sku));
    expect(xml.map((p) => p.availability!.total)).toEqual(want);
    expect(xml.every((p) => p.availability!.warehouses.every((w) => w.location === 'Chicago'))).toBe(true);
  });

  it('counts warehouses named by id: the file column and the XML warehouse number', async () => {
    const recs = records();
    const want = recs.map((r) => stock(r, [CHICAGO, RICHARDSON]));
    const file = await fromFile(adapter({ availabilityWarehouses: [`col${CHICAGO}`, `col${RICHARDSON}`] }), recs.map((r) => r.sku));
    expect(file.map((a) => a.total)).toEqual(want);
    await sim.setFileAge(48);
    const xml = await adapter({ availabilityWarehouses: ['6', '503'] }).priceAndAvailability(recs.map((r) => r.sku));
    expect(xml.map((p) => p.availability!.total)).toEqual(want);
  });

  it('is a setting of the integration, set from the CLI as a list', () => {
    const option = tdSynnexIntegration.options.find((o) => o.setting === 'availabilityWarehouses')!;
    const value = option.parse!('Chicago, 503,,col19 ');
    expect(value).toEqual(['Chicago', '503', 'col19']);
    const settings = tdSynnexIntegration.settingsSchema.parse({ ...sim.settings(), availabilityWarehouses: value });
    expect(settings.availabilityWarehouses).toEqual(['Chicago', '503', 'col19']);
    expect(tdSynnexIntegration.settingsSchema.parse(sim.settings()).availabilityWarehouses).toEqual([]);
  });
});
