import { z } from 'zod';
import { NETWORKS } from '../domain/networks.ts';

export const networkSchema = z.enum(NETWORKS);
export const venueNetworksSchema = z.object({ hyperliquid: networkSchema, deribit: networkSchema }).strict();
