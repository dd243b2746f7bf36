import type { Random } from './random';

// First octets of public unicast space that consumer ISPs, clouds and hosters use. The
// documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are never produced:
// the attacker lives in one of them, so background traffic can never collide with it.
const CONSUMER_FIRST_OCTETS = [
  24, 31, 37, 46, 47, 49, 50, 58, 59, 60, 61, 62, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92,
  93, 94, 95, 96, 97, 98, 99, 101, 103, 106, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 136, 138, 141, 142,
  145, 146, 147, 151, 153, 154, 156, 158, 160, 161, 162, 163, 164, 165, 166, 167, 168, 170, 171, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184,
  185, 186, 187, 188, 189, 190, 191, 193, 194, 195, 196, 197, 200, 201, 202, 210, 211, 212, 213, 217, 218, 219, 220, 221, 222, 223,
];
const AWS_PREFIXES = [
  '3.80',
  '3.208',
  '3.236',
  '18.204',
  '34.192',
  '34.224',
  '44.192',
  '52.0',
  '52.20',
  '52.70',
  '52.86',
  '54.80',
  '54.144',
  '54.160',
  '54.208',
];
const S3_PREFIXES = ['52.216', '52.217', '54.231', '3.5', '16.182'];
const SCANNER_FIRST_OCTETS = [5, 23, 45, 64, 80, 89, 91, 92, 104, 107, 139, 141, 143, 159, 162, 164, 167, 185, 193, 194, 195, 209];

/** A public address a consumer or business might browse from. */
export function consumerIp(random: Random): string {
  return `${random.pick(CONSUMER_FIRST_OCTETS)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** An address in AWS's public ranges (Lambda, CI runners, NAT gateways). */
export function awsIp(random: Random): string {
  const [a, b] = random.pick(AWS_PREFIXES).split('.').map(Number);
  return `${a}.${b + random.int(0, 15)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** An S3 endpoint address. */
export function s3Ip(random: Random): string {
  const [a, b] = random.pick(S3_PREFIXES).split('.').map(Number);
  return `${a}.${b}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** An internet scanner (the constant background of rejected SSH/RDP probes). */
export function scannerIp(random: Random): string {
  return `${random.pick(SCANNER_FIRST_OCTETS)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

export function ephemeralPort(random: Random): number {
  return random.int(32768, 60999);
}
