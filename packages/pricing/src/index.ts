export { Decimal, decimalText, sum, toCents, ZERO } from './money.js';
export { documentPrices, priceItems, resolvePrices, amountOf, type Price, type PriceBookVersion, type PriceItem, type ResolvedPrices } from './price-book.js';
export { billableSeconds, priceUsage, quantitiesOf, type PricedQuantity, type PricedUsage } from './price-usage.js';
