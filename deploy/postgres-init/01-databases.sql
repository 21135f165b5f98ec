-- One database per service (ARCHITECTURE §2). Run once by the postgres image on an empty data
-- directory (/docker-entrypoint-initdb.d); each service's Flyway creates its tables at start.
CREATE DATABASE crm_gateway;
CREATE DATABASE crm_customer;
CREATE DATABASE crm_order;
CREATE DATABASE crm_scoring;
CREATE DATABASE crm_campaign;
