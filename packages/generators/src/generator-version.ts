/** Recorded in every manifest; bump it whenever the same seed would produce different bytes. */
export const generatorVersion = '1.0.0';
