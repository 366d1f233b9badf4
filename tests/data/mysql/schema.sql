-- A schema covering what the MySQL inspector reads: column types as MySQL prints them,
-- nullability, defaults, auto_increment, generated columns, charsets and collations,
-- primary/unique/fulltext/spatial indexes with prefix lengths, foreign keys with actions,
-- check constraints, triggers, views, partitions, engines and row formats.
CREATE TABLE customers (
  id int unsigned NOT NULL AUTO_INCREMENT,
  email varchar(255) NOT NULL,
  name varchar(100) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  status enum('new','active','gone') NOT NULL DEFAULT 'new',
  tags set('a','b','c') DEFAULT 'a,b',
  balance decimal(10,2) NOT NULL DEFAULT 0.00,
  created_at timestamp NOT NULL DEFAULT current_timestamp(),
  updated_at datetime(3) DEFAULT NULL ON UPDATE current_timestamp(3),
  bio text COMMENT 'free text, shown on the profile',
  email_domain varchar(255) GENERATED ALWAYS AS (substring_index(email, '@', -1)) VIRTUAL,
  name_len int GENERATED ALWAYS AS (char_length(name)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY uq_customers_email (email),
  KEY ix_customers_name (name(20), created_at DESC),
  FULLTEXT KEY ft_customers_bio (bio),
  CONSTRAINT ck_balance CHECK (balance >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='people who buy';

CREATE TABLE `order items` (
  order_id bigint NOT NULL,
  line smallint NOT NULL,
  customer_id int unsigned DEFAULT NULL,
  qty int NOT NULL DEFAULT 1 CHECK (qty > 0),
  price double NOT NULL,
  note varchar(20) COLLATE utf8mb4_bin DEFAULT 'it''s',
  PRIMARY KEY (order_id, line),
  KEY ix_customer (customer_id),
  CONSTRAINT fk_items_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT;

CREATE TABLE places (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  pos point NOT NULL,
  label char(8) NOT NULL,
  SPATIAL KEY sp_places_pos (pos)
) ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE events (
  id int NOT NULL,
  happened date NOT NULL,
  kind varchar(10) NOT NULL DEFAULT 'x',
  PRIMARY KEY (id, happened)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
PARTITION BY RANGE (year(happened)) (
  PARTITION p2019 VALUES LESS THAN (2020),
  PARTITION p2020 VALUES LESS THAN (2021),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);

CREATE TABLE audit (
  id int NOT NULL AUTO_INCREMENT,
  customer_id int unsigned NOT NULL,
  what varchar(50) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_audit_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER trg_customers_audit AFTER INSERT ON customers FOR EACH ROW
  INSERT INTO audit (customer_id, what) VALUES (NEW.id, 'created');

CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE status = 'active';

CREATE SEQUENCE invoice_numbers START WITH 100 INCREMENT BY 5;
