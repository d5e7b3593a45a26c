import path from 'node:path';
import { MAINNET_CONFIRMATION, newlyMainnet, PAPER_NETWORKS, sameNetworks, type VenueNetworks } from '../../shared/domain/networks.ts';
import { venueNetworksSchema } from '../../shared/contract/network-schemas.ts';
import { TerminalError } from '../../shared/contract/result.ts';
import { loadJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';

/*
 * Which network each venue runs on, kept in `networks.json` in the data folder and read by both
 * hosts at start. Paper is the default and what a damaged file falls back to (its copy is kept
 * and the screen says so). Moving a venue onto mainnet needs the word typed, not a click.
 */
export class NetworkSettings {
  readonly file: string;
  readonly testnetAtSim: boolean;
  private value: VenueNetworks = PAPER_NETWORKS;
  private noticeText: string | null = null;

  constructor(dataDir: string, testnetAtSim = false) {
    this.file = path.join(dataDir, 'networks.json');
    this.testnetAtSim = testnetAtSim;
  }

  async load(): Promise<VenueNetworks> {
    const r = await loadJsonFile(this.file, venueNetworksSchema);
    if (r.state === 'loaded') this.value = r.value;
    if (r.state === 'damaged') this.noticeText = `networks.json could not be used (${r.reason}); every venue is on paper${r.keptAs ? `; the file was kept as ${path.basename(r.keptAs)}` : ''}`;
    return this.value;
  }

  get current(): VenueNetworks {
    return this.value;
  }

  describe(): { networks: VenueNetworks; testnetAtSim: boolean; file: string; notice: string | null } {
    return { networks: this.value, testnetAtSim: this.testnetAtSim, file: this.file, notice: this.noticeText };
  }

  /** Checks and saves a change; the caller restarts the engine on it. Refused without the typed word for mainnet. */
  async set(next: VenueNetworks, confirm: string | null): Promise<{ changed: boolean }> {
    const onto = newlyMainnet(this.value, next);
    if (onto.length && confirm !== MAINNET_CONFIRMATION) {
      const names = onto.length > 1 ? `${onto.slice(0, -1).join(', ')} and ${onto[onto.length - 1]}` : onto[0];
      throw new TerminalError('refused', `moving ${names} to mainnet trades real money: type ${MAINNET_CONFIRMATION} to confirm`);
    }
    const changed = !sameNetworks(next, this.value);
    if (!changed) return { changed };
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.value = { ...next };
    this.noticeText = null;
    return { changed };
  }
}
