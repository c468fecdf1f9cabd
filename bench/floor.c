/* The floor for `status` and `current`: the least any migration tool can do
 * to answer them. It stats every file in the migrations directory and runs
 * one query for the applied revisions, then prints how many there are.
 *
 *   mig_floor DIR sqlite FILE
 *   mig_floor DIR postgresql CONNINFO
 *   mig_floor DIR mysql SOCKET USER PASSWORD DATABASE
 */
#include <dirent.h>
#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char* query = "SELECT revision FROM mig_revisions";

static long stat_files(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return -1;
  long n = 0;
  char path[4096];
  struct stat st;
  for (struct dirent* e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) == 0) ++n;
  }
  closedir(d);
  return n;
}

static long from_sqlite(const char* file) {
  sqlite3* db = NULL;
  sqlite3_stmt* st = NULL;
  long rows = -1;
  if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, query, -1, &st, NULL) == SQLITE_OK) {
    rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) ++rows;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

static long from_postgresql(const char* conninfo) {
  PGconn* conn = PQconnectdb(conninfo);
  long rows = -1;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* r = PQexec(conn, query);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) rows = PQntuples(r);
    PQclear(r);
  }
  PQfinish(conn);
  return rows;
}

static long from_mysql(const char* socket, const char* user, const char* password,
                       const char* database) {
  MYSQL* conn = mysql_init(NULL);
  long rows = -1;
  if (mysql_real_connect(conn, NULL, user, password, database, 0, socket, 0) &&
      mysql_query(conn, query) == 0) {
    MYSQL_RES* r = mysql_store_result(conn);
    if (r) rows = (long)mysql_num_rows(r);
    mysql_free_result(r);
  }
  mysql_close(conn);
  return rows;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: mig_floor DIR sqlite|postgresql|mysql ...\n");
    return 2;
  }
  long files = stat_files(argv[1]);
  long rows = -1;
  if (strcmp(argv[2], "sqlite") == 0)
    rows = from_sqlite(argv[3]);
  else if (strcmp(argv[2], "postgresql") == 0)
    rows = from_postgresql(argv[3]);
  else if (strcmp(argv[2], "mysql") == 0 && argc >= 7)
    rows = from_mysql(argv[3], argv[4], argv[5], argv[6]);
  if (files < 0 || rows < 0) {
    fprintf(stderr, "mig_floor: cannot read %s or its database\n", argv[1]);
    return 1;
  }
  printf("%ld files, %ld applied\n", files, rows);
  return 0;
}
