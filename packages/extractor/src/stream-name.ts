/** The streams the extractor lands in `raw`: two PostgreSQL tables and one MongoDB collection. */
export const streamNames = ['users', 'viewing_sessions', 'content'] as const;

export type StreamName = (typeof streamNames)[number];
