/** Words that titles, episode titles and character names are assembled from. */
export const titleAdjectives = [
  'Silent', 'Broken', 'Hidden', 'Last', 'Golden', 'Crimson', 'Electric', 'Lost', 'Midnight', 'Wild', 'Frozen', 'Burning',
  'Distant', 'Secret', 'Hollow', 'Bright', 'Endless', 'Forgotten', 'Savage', 'Quiet', 'Restless', 'Velvet', 'Iron', 'Paper',
];

export const titleNouns = [
  'Harbor', 'Kingdom', 'Signal', 'Garden', 'River', 'Empire', 'Witness', 'Orbit', 'Frontier', 'Mirror', 'Storm', 'Island',
  'Protocol', 'Horizon', 'Legacy', 'Circus', 'Station', 'Heist', 'Verdict', 'Summer', 'Citadel', 'Compass', 'Tide', 'Archive',
];

/** Patterns: `A` adjective, `N` noun, `P` place. Some contain commas and colons on purpose. */
export const titlePatterns = ['The A N', 'A N', 'N of P', 'The N', 'A N: The P Files', 'N, N and N', 'Beyond the N', 'P Nights', 'The N "P"'];

export const titlePlaces = ['Lisbon', 'Kyoto', 'Nairobi', 'Oslo', 'Havana', 'Marrakesh', 'Patagonia', 'Seoul', 'Reykjavik', 'Bombay', 'Sicily', 'Yukon'];

export const episodeTitleWords = ['Pilot', 'Homecoming', 'The Offer', 'Crossroads', 'Aftermath', 'Ghosts', 'The Long Night', 'Reunion', 'Fallout', 'Exodus', 'Revelations', 'Checkmate', 'Endgame', 'Leverage', 'Undertow'];

export const genres = ['drama', 'comedy', 'thriller', 'action', 'documentary', 'animation', 'crime', 'romance', 'sci-fi', 'horror', 'fantasy', 'family', 'reality', 'anime'];

export const languages = ['en', 'es', 'pt', 'fr', 'de', 'it', 'ja', 'ko', 'hi', 'tr', 'sv', 'pl', 'nl', 'ar'];
