/**
 * Regions: the German administrative hierarchy (AGS keys) and named groups of regions.
 * A group id can stand wherever a region code can.
 */

/** `sozialraum`: sub-municipal units a Kommune defines itself (docs/templates/README.md). */
export const REGION_LEVELS = ['bund', 'land', 'rb', 'kreis', 'gemeinde', 'sozialraum'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface Region {
  /** AGS prefix: `DG` (Bund), 2 digits (Land), 3 (RB), 5 (Kreis), 8 (Gemeinde); `05358008-N01` (Sozialraum). */
  code: string;
  level: RegionLevel;
  name: string;
  parentCode: string | null;
  /** ISO dates; null = open. */
  validFrom: string | null;
  validTo: string | null;
  /** false for pseudo units that are already contained in a sibling (05334002 Aachen). */
  additive: boolean;
  /** The same territory at another level (kreisfreie Stadt 05111 ≡ Gemeinde 05111000). */
  sameAs: string | null;
}

export interface RegionGroup {
  id: string;
  name: string;
  kind: 'revier' | 'subregion' | 'association' | 'peer';
}

export interface RegionGroupMember {
  groupId: string;
  regionCode: string;
  weight: number;
}

export const BUND_CODE = 'DG';

/**
 * A Sozialraum key: the 8-digit AGS of its Gemeinde, a hyphen and the Kommune's own id (letters,
 * digits, `_`; upper case), e.g. `05358008-N01`. The prefix makes the parent explicit and keeps
 * the key unique across Kommunen.
 */
export const LOCAL_AREA_KEY = /^(\d{8})-([0-9A-Z_]{1,12})$/;

/** Level implied by an AGS key's length (or the Sozialraum key form). */
export function levelOfCode(code: string): RegionLevel | null {
  if (code === BUND_CODE) return 'bund';
  if (LOCAL_AREA_KEY.test(code)) return 'sozialraum';
  if (!/^\d+$/.test(code)) return null;
  switch (code.length) {
    case 2:
      return 'land';
    case 3:
      return 'rb';
    case 5:
      return 'kreis';
    case 8:
      return 'gemeinde';
    default:
      return null;
  }
}
