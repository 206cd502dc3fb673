import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

// A one-file ZIP archive, stored (no compression) and encrypted with the traditional PKWARE cipher ("ZipCrypto"),
// which every unzip tool opens with a password. Format: PKWARE's APPNOTE.TXT, sections 4.3 (layout) and 6.1
// (traditional encryption).

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const crcByte = (crc: number, byte: number) => (CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)) >>> 0;

/** The cipher's three keys, initialised from the password (APPNOTE 6.1.5). */
export class ZipCryptoKeys {
  private k0 = 0x12345678;
  private k1 = 0x23456789;
  private k2 = 0x34567890;

  constructor(password: Uint8Array) {
    for (const byte of password) this.update(byte);
  }

  private update(byte: number): void {
    this.k0 = crcByte(this.k0, byte);
    this.k1 = (this.k1 + (this.k0 & 0xff)) >>> 0;
    this.k1 = (Math.imul(this.k1, 134775813) + 1) >>> 0;
    this.k2 = crcByte(this.k2, this.k1 >>> 24);
  }

  private streamByte(): number {
    const temp = (this.k2 | 2) & 0xffff;
    return ((temp * (temp ^ 1)) >>> 8) & 0xff;
  }

  encrypt(plain: Uint8Array): Buffer {
    const out = Buffer.alloc(plain.length);
    plain.forEach((byte, index) => {
      out[index] = byte ^ this.streamByte();
      this.update(byte);
    });
    return out;
  }

  decrypt(cipher: Uint8Array): Buffer {
    const out = Buffer.alloc(cipher.length);
    cipher.forEach((byte, index) => {
      const plain = byte ^ this.streamByte();
      out[index] = plain;
      this.update(plain);
    });
    return out;
  }
}

/** MS-DOS time and date of `when` (APPNOTE 4.4.6). */
function dosDateTime(when: Date): { time: number; date: number } {
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((when.getFullYear() - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

/** A ZIP archive holding `name` with `content`, encrypted with `password`. */
export function encryptedZip(name: string, content: string, password: string, when = new Date()): Buffer {
  const data = Buffer.from(content, "utf8");
  const fileName = Buffer.from(name, "utf8");
  const crc = crc32(data);
  // The 12-byte encryption header ends with the CRC's high byte, which unzip checks to tell a wrong password.
  const header = randomBytes(12);
  header[11] = crc >>> 24;
  const keys = new ZipCryptoKeys(Buffer.from(password, "utf8"));
  const body = Buffer.concat([keys.encrypt(header), keys.encrypt(data)]);
  const { time, date } = dosDateTime(when);
  // Version 2.0, flag bit 0 (encrypted), method 0 (stored).
  const common = (buffer: Buffer, offset: number) => {
    buffer.writeUInt16LE(20, offset);
    buffer.writeUInt16LE(0x0001, offset + 2);
    buffer.writeUInt16LE(0, offset + 4);
    buffer.writeUInt16LE(time, offset + 6);
    buffer.writeUInt16LE(date, offset + 8);
    buffer.writeUInt32LE(crc, offset + 10);
    buffer.writeUInt32LE(body.length, offset + 14);
    buffer.writeUInt32LE(data.length, offset + 18);
    buffer.writeUInt16LE(fileName.length, offset + 22);
    buffer.writeUInt16LE(0, offset + 24);
  };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  common(local, 4);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  common(central, 6);
  // Comment length, disk, internal and external attributes: 0; the local header at offset 0.
  central.writeUInt32LE(0, 42);
  const localSize = local.length + fileName.length + body.length;
  const centralSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, body, central, fileName, end]);
}
