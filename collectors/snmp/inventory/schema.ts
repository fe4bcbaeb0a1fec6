/** The device inventory's tables (namespace `snmp_inventory`), append-only migrations. */
import { applyMigrations, type SqliteDb } from '../../../core/store/sqlite';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE snmp_devices (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     address TEXT NOT NULL,
     port INTEGER NOT NULL,
     org TEXT NOT NULL,
     interval_s INTEGER,
     parent_id TEXT,
     tags TEXT NOT NULL,
     source TEXT NOT NULL,
     snmp_version TEXT NOT NULL,
     snmp_user TEXT,
     snmp_level TEXT,
     credentials TEXT NOT NULL,
     sys_name TEXT,
     sys_descr TEXT,
     sys_object_id TEXT,
     vendor TEXT,
     status TEXT NOT NULL DEFAULT 'unknown',
     last_polled TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX snmp_devices_endpoint ON snmp_devices (address, port);
   CREATE INDEX snmp_devices_org ON snmp_devices (org);`,
  // 2: interface tags by ifIndex ({"10101": ["uplink"]}), read by the NOC rules.
  `ALTER TABLE snmp_devices ADD COLUMN interface_tags TEXT NOT NULL DEFAULT '{}';`,
];

export function migrateInventory(db: SqliteDb): void {
  applyMigrations(db, 'snmp_inventory', MIGRATIONS);
}
