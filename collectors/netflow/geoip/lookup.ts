/**
 * Country and autonomous system of public addresses from MaxMind-format databases read with `maxmind`:
 * countries from the shipped CC0 `@ip-location-db/geo-whois-asn-country-mmdb` unless the user configures
 * another country database (GeoLite2-Country or compatible), AS numbers and names only from a
 * user-configured ASN database (GeoLite2-ASN or compatible; nothing free ships one under a licence socnoc
 * can redistribute with names). Private and reserved addresses are answered without a lookup; answers
 * are cached (flows repeat addresses), bounded.
 *
 * Used by flow normalization and available to other modules (playbooks' enrich.geoip) as a service.
 */
import { readFileSync } from 'node:fs';
import { Reader, type AsnResponse, type CountryResponse, type Response } from 'maxmind';
import type { EcsEndpoint } from '../../../core/event';
import { isPublicAddress } from './public-address';

export interface GeoIpAnswer {
  /** ISO 3166-1 alpha-2, as the database has it. */
  countryIsoCode: string | undefined;
  asNumber: number | undefined;
  asOrganization: string | undefined;
}

export interface GeoIpOptions {
  /** MaxMind-format country database; '' or undefined: the shipped one. */
  countryDatabase?: string;
  /** MaxMind-format ASN database; '' or undefined: no AS answers. */
  asnDatabase?: string;
  /** Addresses remembered; default 65,536. */
  cacheSize?: number;
}

/** ip-location-db writes `country_code`; MaxMind GeoLite2/GeoIP2 `country.iso_code` (`registered_country` when the country is unknown). */
interface CountryRecord {
  country_code?: string;
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
}

/** GeoLite2-ASN and ip-location-db's ASN databases use the same names. */
interface AsnRecord {
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
}

export const SHIPPED_COUNTRY_DATABASE = '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb';

function openReader<T extends Response>(file: string, what: string): Reader<T> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new Error(`geoip ${what} database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return new Reader<T>(buf);
  } catch (err) {
    throw new Error(`geoip ${what} database ${file}: not a MaxMind DB file (${(err as Error).message})`, { cause: err });
  }
}

/** maxmind throws on text that is not an address, and on IPv6 in an IPv4-only database: no answer. */
function safeGet<T extends Response>(reader: Reader<T>, ip: string): T | null {
  try {
    return reader.get(ip);
  } catch {
    return null;
  }
}

export class GeoIpLookup {
  private readonly country: Reader<CountryResponse>;
  private readonly asn: Reader<AsnResponse> | null;
  private readonly cache = new Map<string, GeoIpAnswer | null>();
  private readonly cacheSize: number;
  /** Lookups that reached a database (cache misses on public addresses), for the benchmark and metrics. */
  lookups = 0;

  constructor(options: GeoIpOptions = {}) {
    const countryFile = options.countryDatabase !== undefined && options.countryDatabase !== '' ? options.countryDatabase : require.resolve(SHIPPED_COUNTRY_DATABASE);
    this.country = openReader<CountryResponse>(countryFile, 'country');
    this.asn = options.asnDatabase !== undefined && options.asnDatabase !== '' ? openReader<AsnResponse>(options.asnDatabase, 'ASN') : null;
    this.cacheSize = options.cacheSize ?? 65_536;
  }

  /** Country and AS of a public address; null for private/reserved addresses, invalid text, or no data. */
  lookup(ip: string): GeoIpAnswer | null {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    const answer = isPublicAddress(ip) ? this.read(ip) : null;
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) this.cache.clear();
      this.cache.set(ip, answer);
    }
    return answer;
  }

  /** Sets `geo.country_iso_code` and `as.number` / `as.organization.name` on an ECS endpoint with a public `ip`. */
  enrich(endpoint: EcsEndpoint): void {
    const ip = endpoint.ip;
    if (ip === undefined) return;
    const a = this.lookup(ip);
    if (a === null) return;
    if (a.countryIsoCode !== undefined) endpoint.geo = { country_iso_code: a.countryIsoCode };
    if (a.asNumber === undefined) return;
    const exported = endpoint.as?.number;
    // The exporter's BGP view wins over a database; the name is added when both agree on the number.
    if (exported !== undefined && exported !== a.asNumber) return;
    endpoint.as = a.asOrganization === undefined ? { number: a.asNumber } : { number: a.asNumber, organization: { name: a.asOrganization } };
  }

  private read(ip: string): GeoIpAnswer | null {
    this.lookups++;
    // The typings know MaxMind's layouts only; ip-location-db's `country_code` is read through CountryRecord.
    const c = safeGet(this.country, ip) as CountryRecord | null;
    const s = (this.asn === null ? null : safeGet(this.asn, ip)) as AsnRecord | null;
    const countryIsoCode = c?.country_code ?? c?.country?.iso_code ?? c?.registered_country?.iso_code;
    const asNumber = s?.autonomous_system_number;
    if (countryIsoCode === undefined && asNumber === undefined) return null;
    return { countryIsoCode, asNumber, asOrganization: asNumber === undefined ? undefined : s?.autonomous_system_organization };
  }
}
