// Reference data for the simulated catalog: vendors with their part-number patterns and
// product lines (Ingram category, subcategory, cost range), warehouses and carriers.

export interface ProductLine {
  category: string;
  subCategory: string;
  noun: string;
  series: string[];
  minCost: number;
  maxCost: number;
  digital?: boolean;
}

export interface VendorInfo {
  name: string;
  number: string;
  mpn: string;
  upcPrefix: string;
  lines: ProductLine[];
}

const line = (category: string, subCategory: string, noun: string, series: string[], minCost: number, maxCost: number, digital = false): ProductLine =>
  ({ category, subCategory, noun, series, minCost, maxCost, digital });

export const VENDORS: VendorInfo[] = [
  { name: 'HP INC', number: '0000214', mpn: 'nxxnnUT#ABA', upcPrefix: '019', lines: [
    line('Computer Systems', 'Notebooks', 'Notebook', ['ProBook 450', 'EliteBook 840', 'ZBook Firefly'], 550, 2400),
    line('Printers', 'Laser Printers', 'Laser Printer', ['LaserJet Pro', 'Color LaserJet Enterprise'], 180, 1600),
    line('Printer Supplies', 'Toner Cartridges', 'Toner Cartridge', ['HP 58A', 'HP 215X', 'HP 89Y'], 45, 320),
  ] },
  { name: 'LENOVO', number: '0000417', mpn: '2nxxnnnnUS', upcPrefix: '195', lines: [
    line('Computer Systems', 'Notebooks', 'Notebook', ['ThinkPad T14', 'ThinkPad X1 Carbon', 'ThinkBook 15'], 600, 2600),
    line('Computer Systems', 'Desktops', 'Desktop', ['ThinkCentre M70q', 'ThinkCentre M90t'], 450, 1500),
    line('Displays', 'Monitors', 'Monitor', ['ThinkVision T24i', 'ThinkVision P27h'], 140, 650),
  ] },
  { name: 'CISCO', number: '0000112', mpn: 'CnnnnL-nnP-nx-E', upcPrefix: '889', lines: [
    line('Networking', 'Switches', 'Switch', ['Catalyst 9200L', 'Catalyst 1000', 'Business 350'], 300, 9000),
    line('Networking', 'Wireless Access Points', 'Access Point', ['Catalyst 9120', 'Meraki MR36'], 250, 1400),
    line('Networking', 'Routers', 'Router', ['ISR 1100', 'Catalyst 8200'], 600, 6000),
  ] },
  { name: 'DELL', number: '0000287', mpn: 'DELL-axxxnn', upcPrefix: '884', lines: [
    line('Computer Systems', 'Notebooks', 'Notebook', ['Latitude 5440', 'Latitude 7440', 'Precision 3580'], 650, 2800),
    line('Displays', 'Monitors', 'Monitor', ['P2422H', 'U2723QE', 'E2423HN'], 120, 700),
    line('Servers', 'Rack Servers', 'Server', ['PowerEdge R660', 'PowerEdge R760'], 2500, 14000),
  ] },
  { name: 'MICROSOFT', number: '0000633', mpn: 'xxx-nnnnn', upcPrefix: '889', lines: [
    line('Software', 'Operating Systems', 'License', ['Windows 11 Pro', 'Windows Server 2022'], 90, 1100, true),
    line('Software', 'Office Suites', 'License', ['Office Home & Business 2024', 'Office LTSC Standard'], 150, 450, true),
    line('Computer Systems', 'Tablets', 'Tablet', ['Surface Pro', 'Surface Go'], 450, 1900),
  ] },
  { name: 'APC', number: '0000058', mpn: 'SMTnnnnRMnUC', upcPrefix: '731', lines: [
    line('Power', 'UPS', 'UPS', ['Smart-UPS 1500', 'Back-UPS Pro 1500', 'Smart-UPS SRT 3000'], 160, 2600),
    line('Power', 'PDUs', 'Rack PDU', ['Basic Rack PDU', 'Metered Rack PDU'], 80, 900),
  ] },
  { name: 'LOGITECH', number: '0000391', mpn: '9nn-nnnnnn', upcPrefix: '097', lines: [
    line('Accessories', 'Mice', 'Mouse', ['MX Master 3S', 'M705', 'Signature M650'], 12, 95),
    line('Accessories', 'Keyboards', 'Keyboard', ['MX Keys', 'K120', 'Signature K650'], 10, 110),
    line('Accessories', 'Webcams', 'Webcam', ['Brio 4K', 'C920s', 'MeetUp'], 40, 800),
  ] },
  { name: 'SAMSUNG', number: '0000702', mpn: 'MZ-VxnnxnB/AM', upcPrefix: '887', lines: [
    line('Storage', 'Solid State Drives', 'SSD', ['990 PRO', '870 EVO', 'PM893'], 45, 600),
    line('Displays', 'Monitors', 'Monitor', ['ViewFinity S8', 'Odyssey G5'], 150, 900),
  ] },
  { name: 'UBIQUITI', number: '0000889', mpn: 'USW-xxxx-nn', upcPrefix: '810', lines: [
    line('Networking', 'Switches', 'Switch', ['UniFi Pro 24', 'UniFi Lite 16'], 150, 1200),
    line('Networking', 'Wireless Access Points', 'Access Point', ['UniFi U6 Pro', 'UniFi U7 Pro'], 90, 300),
  ] },
  { name: 'KINGSTON', number: '0000365', mpn: 'KVRnnxnnan/nn', upcPrefix: '740', lines: [
    line('Memory', 'Desktop Memory', 'Memory Module', ['ValueRAM DDR5', 'FURY Beast DDR4'], 20, 260),
  ] },
  { name: 'EPSON', number: '0000322', mpn: 'VnnHnnnnnn', upcPrefix: '010', lines: [
    line('Projectors', 'Business Projectors', 'Projector', ['PowerLite 2250U', 'EB-L260F'], 500, 3200),
    line('Printers', 'Inkjet Printers', 'Printer', ['WorkForce Pro', 'EcoTank Pro'], 150, 900),
  ] },
  { name: 'JABRA', number: '0000371', mpn: 'nnnn-nnn-nnn', upcPrefix: '570', lines: [
    line('Accessories', 'Headsets', 'Headset', ['Evolve2 65', 'Engage 55', 'Evolve2 40'], 60, 450),
  ] },
];

export interface Warehouse {
  id: string;
  location: string;
}

export const WAREHOUSES: Warehouse[] = [
  { id: '10', location: 'Mira Loma, CA' },
  { id: '20', location: 'Millington, TN' },
  { id: '30', location: 'Carol Stream, IL' },
  { id: '40', location: 'Jonestown, PA' },
  { id: '80', location: 'Buffalo, NY' },
];

export interface Carrier {
  code: string;
  name: string;
  tracking: string;
  url: string;
}

export const CARRIERS: Carrier[] = [
  { code: 'UPSGRND', name: 'UPS Ground', tracking: '1Zxxxxxxnnnnnnnnnn', url: 'https://www.ups.com/track?tracknum=' },
  { code: 'FEDXGRND', name: 'FedEx Ground', tracking: 'nnnnnnnnnnnn', url: 'https://www.fedex.com/fedextrack/?trknbr=' },
  { code: 'FEDX2DAY', name: 'FedEx 2Day', tracking: 'nnnnnnnnnnnn', url: 'https://www.fedex.com/fedextrack/?trknbr=' },
];

export const CURRENCY_BY_COUNTRY: Record<string, string> = { US: 'USD', CA: 'CAD', GB: 'GBP', AU: 'AUD', IN: 'INR' };
