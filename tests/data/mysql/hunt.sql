-- What a hunt against the `mariadb` client and information_schema went through: generated and
-- invisible columns, named and unnamed CHECKs, system-versioned tables (implicit and explicit
-- period columns, a column without versioning, SYSTEM_TIME partitions), ignored, descending,
-- spatial and fulltext indexes, views with an algorithm, SQL SECURITY and a CHECK OPTION,
-- sequences, triggers, reserved words, backticks and Unicode in names, per-column charsets.
CREATE TABLE gen (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  a int NOT NULL,
  b int AS (a * 2) VIRTUAL,
  c int AS (a + 1) PERSISTENT,
  d varchar(20) AS (concat('x', a)) STORED INVISIBLE,
  hidden_note text INVISIBLE DEFAULT 'h',
  CONSTRAINT `check a` CHECK (a > 0 AND a < 1000),
  CHECK (b <> 3)
) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT 'gen''s table';
CREATE TABLE `select` (
  `from` int, `where` varchar(10) CHARACTER SET ascii COLLATE ascii_bin, `back``tick` int,
  `ünïcödé` varchar(5) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci,
  `日本` int COMMENT 'コメント',
  `with space` enum('a','b''c','ü') DEFAULT 'a',
  s set('x','y') NOT NULL DEFAULT 'x,y',
  KEY `idx select` (`from`, `where`(4)),
  UNIQUE KEY `日本_uk` (`日本`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
CREATE TABLE geo (id int PRIMARY KEY, g GEOMETRY NOT NULL, p POINT NOT NULL, body text, title varchar(100),
  SPATIAL INDEX sp_g (g), FULLTEXT INDEX ft_body (body, title), KEY k_title (title DESC), KEY k_ignored (id) IGNORED
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE hist (id int PRIMARY KEY, v int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci WITH SYSTEM VERSIONING;
CREATE TABLE hist2 (id int PRIMARY KEY, v int WITHOUT SYSTEM VERSIONING, w int,
  start_ts TIMESTAMP(6) GENERATED ALWAYS AS ROW START, end_ts TIMESTAMP(6) GENERATED ALWAYS AS ROW END,
  PERIOD FOR SYSTEM_TIME(start_ts, end_ts)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci WITH SYSTEM VERSIONING;
CREATE TABLE hvparts (id int PRIMARY KEY, v int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME (PARTITION p_hist HISTORY, PARTITION p_cur CURRENT);
CREATE TABLE parts (id int NOT NULL, y int NOT NULL, PRIMARY KEY (id, y)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  PARTITION BY LIST (y) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (PARTITION p1 VALUES IN (1, 2), PARTITION p2 VALUES IN (3));
CREATE TABLE fkp (id int PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE fkc (id int PRIMARY KEY, p int, CONSTRAINT `fk weird` FOREIGN KEY (p) REFERENCES fkp (id) ON DELETE SET NULL ON UPDATE CASCADE) ENGINE=InnoDB;
CREATE SEQUENCE seq1 START WITH 10 MINVALUE 5 MAXVALUE 100 INCREMENT BY 3 CYCLE CACHE 7;
CREATE SEQUENCE `seq 2` AS smallint unsigned NOCACHE;
CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v_merge AS SELECT id, a FROM gen WHERE a > 1 WITH CASCADED CHECK OPTION;
CREATE ALGORITHM=TEMPTABLE SQL SECURITY DEFINER VIEW `v ü` AS SELECT `from` AS `f`, `日本` FROM `select`;
CREATE VIEW v_plain AS SELECT * FROM hist;
CREATE TRIGGER `trg ü` BEFORE INSERT ON gen FOR EACH ROW SET NEW.a = NEW.a + 0;
CREATE TABLE `tick``tab` (id int);
CREATE TABLE `dq"tab` (id int);
CREATE TABLE `Mixed.Dot` (id int);
CREATE TABLE `Ünïcode表` (`列` int);
