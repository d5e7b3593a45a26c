import { z } from 'zod';
import { NETWORKS } from '../domain/networks.ts';

export const networkSchema = z.enum(NETWORKS);
/** Derive may be absent (a settings file or a caller from before it had a switch): it then follows Deribit. */
export const venueNetworksSchema = z
  .object({ hyperliquid: networkSchema, deribit: networkSchema, derive: networkSchema.optional() })
  .strict()
  .transform((n) => ({ hyperliquid: n.hyperliquid, deribit: n.deribit, derive: n.derive ?? n.deribit }));
