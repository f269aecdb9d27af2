import type { Plan } from '@reelhouse/contracts';

/**
 * Monthly list prices in minor units of each currency (yen, won and pesos chilenos have none),
 * in the order basic_ads, standard, premium: roughly what streaming services charged in 2024.
 */
export const planPrices: Readonly<Record<string, Readonly<Record<Plan, number>>>> = {
  USD: { basic_ads: 799, standard: 1799, premium: 2499 },
  CAD: { basic_ads: 799, standard: 1899, premium: 2699 },
  GBP: { basic_ads: 599, standard: 1299, premium: 1899 },
  EUR: { basic_ads: 699, standard: 1399, premium: 1999 },
  PLN: { basic_ads: 2900, standard: 4900, premium: 6700 },
  SEK: { basic_ads: 8900, standard: 14900, premium: 21900 },
  TRY: { basic_ads: 14999, standard: 22999, premium: 29999 },
  ZAR: { basic_ads: 9900, standard: 15900, premium: 19900 },
  AED: { basic_ads: 2900, standard: 4900, premium: 6900 },
  BRL: { basic_ads: 2090, standard: 4490, premium: 5990 },
  MXN: { basic_ads: 11900, standard: 24900, premium: 32900 },
  ARS: { basic_ads: 430000, standard: 740000, premium: 990000 },
  COP: { basic_ads: 1690000, standard: 3890000, premium: 4490000 },
  CLP: { basic_ads: 6900, standard: 9900, premium: 13900 },
  JPY: { basic_ads: 890, standard: 1590, premium: 2290 },
  KRW: { basic_ads: 5500, standard: 13500, premium: 17000 },
  AUD: { basic_ads: 799, standard: 1899, premium: 2899 },
  INR: { basic_ads: 14900, standard: 49900, premium: 64900 },
  PHP: { basic_ads: 24900, standard: 49900, premium: 64900 },
  NZD: { basic_ads: 1299, standard: 2099, premium: 2899 },
};
