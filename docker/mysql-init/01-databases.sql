-- Run once by the mysql image's entrypoint, when it initialises an empty data volume
-- (docker compose down -v starts over). Two message-store shards and the user Courier connects as
-- (COURIER_MYSQL_SHARDS in compose.yaml). Courier creates and migrates its tables itself at start.
CREATE DATABASE IF NOT EXISTS courier_0 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS courier_1 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE USER IF NOT EXISTS 'courier'@'%' IDENTIFIED BY 'courier';
GRANT ALL PRIVILEGES ON courier_0.* TO 'courier'@'%';
GRANT ALL PRIVILEGES ON courier_1.* TO 'courier'@'%';
FLUSH PRIVILEGES;
