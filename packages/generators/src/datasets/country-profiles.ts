import type { NameCulture } from './person-names.ts';

/**
 * What the generator needs per country beyond the contracts' seed: a naming culture, a few cities
 * (one with a comma, so quoting is exercised) and a fixed UTC offset in minutes (standard time;
 * daylight saving is ignored on purpose so the offset stays a constant of the data set).
 */
export interface CountryProfile {
  readonly culture: NameCulture;
  readonly cities: readonly string[];
  readonly utcOffsetMinutes: number;
}

export const countryProfiles: Readonly<Record<string, CountryProfile>> = {
  US: {
    culture: 'english',
    utcOffsetMinutes: -300,
    cities: [
      'New York',
      'Los Angeles',
      'Chicago',
      'Houston',
      'Phoenix',
      'Philadelphia',
      'Seattle',
      'Washington, D.C.',
      'Atlanta',
      'Denver',
    ],
  },
  CA: {
    culture: 'english',
    utcOffsetMinutes: -300,
    cities: ['Toronto', 'Montréal', 'Vancouver', 'Calgary', 'Ottawa', 'Edmonton'],
  },
  GB: {
    culture: 'english',
    utcOffsetMinutes: 0,
    cities: ['London', 'Manchester', 'Birmingham', 'Glasgow', 'Leeds', 'Bristol'],
  },
  DE: {
    culture: 'german',
    utcOffsetMinutes: 60,
    cities: ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart'],
  },
  FR: {
    culture: 'french',
    utcOffsetMinutes: 60,
    cities: ['Paris', 'Marseille', 'Lyon', 'Toulouse', 'Nice', 'Lille'],
  },
  ES: {
    culture: 'spanish',
    utcOffsetMinutes: 60,
    cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao'],
  },
  IT: {
    culture: 'italian',
    utcOffsetMinutes: 60,
    cities: ['Roma', 'Milano', 'Napoli', 'Torino', 'Bologna'],
  },
  NL: {
    culture: 'dutch',
    utcOffsetMinutes: 60,
    cities: ['Amsterdam', 'Rotterdam', 'Den Haag', 'Utrecht', 'Eindhoven'],
  },
  PL: {
    culture: 'polish',
    utcOffsetMinutes: 60,
    cities: ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Gdańsk'],
  },
  SE: {
    culture: 'swedish',
    utcOffsetMinutes: 60,
    cities: ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala'],
  },
  TR: {
    culture: 'turkish',
    utcOffsetMinutes: 180,
    cities: ['İstanbul', 'Ankara', 'İzmir', 'Bursa', 'Antalya'],
  },
  ZA: {
    culture: 'english',
    utcOffsetMinutes: 120,
    cities: ['Johannesburg', 'Cape Town', 'Durban', 'Pretoria'],
  },
  AE: { culture: 'arabic', utcOffsetMinutes: 240, cities: ['Dubai', 'Abu Dhabi', 'Sharjah'] },
  BR: {
    culture: 'portuguese',
    utcOffsetMinutes: -180,
    cities: [
      'São Paulo',
      'Rio de Janeiro',
      'Belo Horizonte',
      'Brasília',
      'Salvador',
      'Curitiba',
      'Porto Alegre',
    ],
  },
  MX: {
    culture: 'spanish',
    utcOffsetMinutes: -360,
    cities: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Puebla', 'Tijuana'],
  },
  AR: {
    culture: 'spanish',
    utcOffsetMinutes: -180,
    cities: ['Buenos Aires', 'Córdoba', 'Rosario', 'Mendoza'],
  },
  CO: {
    culture: 'spanish',
    utcOffsetMinutes: -300,
    cities: ['Bogotá', 'Medellín', 'Cali', 'Barranquilla'],
  },
  CL: {
    culture: 'spanish',
    utcOffsetMinutes: -240,
    cities: ['Santiago', 'Valparaíso', 'Concepción'],
  },
  JP: {
    culture: 'japanese',
    utcOffsetMinutes: 540,
    cities: ['Tokyo', 'Osaka', 'Yokohama', 'Nagoya', 'Sapporo', 'Fukuoka'],
  },
  KR: { culture: 'korean', utcOffsetMinutes: 540, cities: ['Seoul', 'Busan', 'Incheon', 'Daegu'] },
  AU: {
    culture: 'english',
    utcOffsetMinutes: 600,
    cities: ['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide'],
  },
  IN: {
    culture: 'indian',
    utcOffsetMinutes: 330,
    cities: ['Mumbai', 'Delhi', 'Bengaluru', 'Hyderabad', 'Chennai', 'Kolkata'],
  },
  PH: {
    culture: 'filipino',
    utcOffsetMinutes: 480,
    cities: ['Manila', 'Quezon City', 'Cebu City', 'Davao City'],
  },
  NZ: {
    culture: 'english',
    utcOffsetMinutes: 720,
    cities: ['Auckland', 'Wellington', 'Christchurch'],
  },
};
