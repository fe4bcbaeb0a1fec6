export { GeoIpLookup, SHIPPED_COUNTRY_DATABASE, type GeoIpAnswer, type GeoIpOptions } from './lookup';
export { isPublicAddress } from './public-address';
