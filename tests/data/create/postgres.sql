-- Relations whose DDL `retort describe --create` states for PostgreSQL; the test recreates
-- them from that text in an empty database and compares psql's \d of both.
-- Names sort so that every relation comes after the ones it needs.
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;

CREATE TABLE a_customers (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL COLLATE "C",
    name varchar(100) DEFAULT 'anon'::character varying,
    balance numeric(10,2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
    updated timestamptz,
    CONSTRAINT uq_customers_email UNIQUE (email)
);
CREATE INDEX ix_customers_name ON a_customers (lower(name)) WHERE name IS NOT NULL;
CREATE TRIGGER trg_touch BEFORE UPDATE ON a_customers FOR EACH ROW EXECUTE FUNCTION touch();

CREATE TABLE b_orders (
    id bigserial,
    customer_id integer REFERENCES a_customers (id) ON DELETE SET NULL ON UPDATE CASCADE,
    placed date NOT NULL DEFAULT CURRENT_DATE,
    PRIMARY KEY (id, placed)
);

CREATE UNLOGGED TABLE c_scratch (k text, v jsonb);

CREATE TABLE d_events (id int NOT NULL, happened date NOT NULL, kind text) PARTITION BY RANGE (happened);
CREATE TABLE d_events_2020 PARTITION OF d_events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');

CREATE SEQUENCE e_invoice_numbers AS integer START WITH 100 INCREMENT BY 5 MAXVALUE 100000 CYCLE;

CREATE VIEW f_active AS SELECT id, email FROM a_customers WHERE balance > 0;
