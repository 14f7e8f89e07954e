/*
 * prefetch.c - reading ahead for an ingest: worker threads read, hash and
 * parse the upcoming files of a list (one parser each) while the caller
 * stores the pages it already has. Pages travel in list order through a
 * bounded ring, so memory does not grow with the list.
 */
#define _POSIX_C_SOURCE 200809L   /* strerror_r, st_mtim, pthread_sigmask */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "corpus.h"

/*
 * How far the workers may read ahead of the caller: WINDOW_PAGES pages
 * plus SLOTS_PER_THREAD per thread, and no more than WINDOW_BYTES of
 * page bytes in pages parsed and waiting. The window must outlast the
 * caller's pauses: committing a batch of 200 pages takes about as long
 * as parsing 50-100, and a checkpoint of the write-ahead log stalls the
 * caller on the disk. With a window of a few pages the workers stopped
 * at every commit (on two cores an ingest took 1.6 times as long as with
 * 64 pages); 256 pages took another 12% off the wall time of 5,000 real
 * pages on two cores (0.96 s against 1.09 s, for 3 MB more memory). The
 * byte bound keeps a run of huge pages from piling up.
 */
#define WINDOW_PAGES 256
#define SLOTS_PER_THREAD 4
#define WINDOW_BYTES ((size_t)16 << 20)

/* What identifies a file's content without reading it again. */
typedef struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime, ctime;
} file_id;

/* One page in the ring. Owned by the worker that claimed it until it is
 * marked ready, then by the caller until it is released. */
typedef struct {
  loupe_page pub;
  char *bytes;                /* kept for a skipped page only */
  file_id id;                 /* of the file as it was read */
  int have_id;
  int ready;                  /* filled (set under the lock) */
  size_t held;                /* bytes counted in pf->held for it */
  int at_turn;                /* read by the caller at its turn */
  lp_ahead ahead;             /* computed by the worker for storing */
  char errmsg[200];
} slot;

/* A worker's own state. */
typedef struct {
  loupe_prefetch *pf;
  loupe_parser *parser;
  void *tok;                  /* its full-text tokenizer, or NULL */
} worker;

struct loupe_prefetch {
  char **paths;               /* n copies, one block with the strings */
  char *expected;             /* n hashes of LOUPE_HASH_LEN + 1, "" none */
  size_t n;
  slot *slots;
  size_t nslots;
  size_t claim;               /* next page a thread may take */
  size_t held;                /* bytes of the pages ready, not released */
  size_t cur;                 /* the page held by the caller or due next */
  int holding;                /* the caller holds page cur */
  int stop;                   /* free() has begun: workers leave */
  loupe_parser *own;          /* the caller's parser */
  worker *workers;            /* nworkers, each with its parser */
  int nworkers;
  pthread_t *threads;
  int nthreads;               /* running (joined on free) */
  int sync_ok;                /* mutex and conditions initialised */
  pthread_mutex_t mu;
  pthread_cond_t space;       /* a slot was released, or stop */
  pthread_cond_t filled;      /* a page became ready */
};

static void set_error(slot *s, int rc, const char *msg) {
  s->pub.rc = rc;
  snprintf(s->errmsg, sizeof s->errmsg, "%s", msg);
}

static void set_errno(slot *s, int err) {
  char buf[160];
  /* the XSI strerror_r (thread-safe, unlike strerror) */
  if (strerror_r(err, buf, sizeof buf) != 0)
    snprintf(buf, sizeof buf, "error %d", err);
  set_error(s, LOUPE_EIO, buf);
}

static void id_of(const struct stat *st, file_id *id) {
  memset(id, 0, sizeof *id);
  id->dev = st->st_dev;
  id->ino = st->st_ino;
  id->size = st->st_size;
  id->mtime = st->st_mtim;
  id->ctime = st->st_ctim;
}

static int same_id(const file_id *a, const file_id *b) {
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime.tv_sec == b->mtime.tv_sec &&
         a->mtime.tv_nsec == b->mtime.tv_nsec &&
         a->ctime.tv_sec == b->ctime.tv_sec &&
         a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Release what a slot holds; the slot is empty afterwards. */
static void slot_clear(slot *s) {
  lp_ftoks_free(&s->ahead.toks);
  loupe_article_free(s->pub.article);
  free(s->bytes);
  memset(s, 0, sizeof *s);
  s->pub.errmsg = s->errmsg;
}

/*
 * Read the whole file at path into a new buffer (*out, malloc'd, owned by
 * the caller on success) and note the file's identity when it was
 * opened. Failures go into the slot as LOUPE_EIO with the system's
 * reason, or LOUPE_ENOMEM.
 */
static int read_file(slot *s, const char *path, char **out, size_t *len) {
  struct stat st;
  char *buf = NULL;
  size_t cap, n = 0;
  int fd, rc = LOUPE_OK;

  *out = NULL;
  *len = 0;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    set_errno(s, errno);
    return LOUPE_EIO;
  }
  if (fstat(fd, &st) != 0) {
    set_errno(s, errno);
    close(fd);
    return LOUPE_EIO;
  }
  id_of(&st, &s->id);
  s->have_id = 1;
  cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1
                                              : 4096;
  for (;;) {
    ssize_t got;
    if (buf == NULL || n == cap) {
      char *nb;
      if (buf != NULL) cap *= 2;
      nb = realloc(buf, cap);
      if (nb == NULL) {
        set_error(s, LOUPE_ENOMEM, "out of memory");
        rc = LOUPE_ENOMEM;
        break;
      }
      buf = nb;
    }
    got = read(fd, buf + n, cap - n);
    if (got > 0) {
      n += (size_t)got;
    } else if (got == 0) {
      break;
    } else if (errno != EINTR) {
      set_errno(s, errno);
      rc = LOUPE_EIO;
      break;
    }
  }
  close(fd);
  if (rc) {
    free(buf);
    return rc;
  }
  *out = buf;
  *len = n;
  return LOUPE_OK;
}

/*
 * Fill slot s with page i: read, hash, and parse with parser unless the
 * hash is the expected one. Touches nothing shared but the read-only
 * list, so it runs without the lock.
 */
static void load_page(const loupe_prefetch *pf, loupe_parser *parser,
                      void *tok, size_t i, slot *s) {
  const char *want = pf->expected + i * (LOUPE_HASH_LEN + 1);
  char *bytes;
  size_t len;
  int rc;

  s->pub.path = pf->paths[i];
  s->pub.errmsg = s->errmsg;
  if (read_file(s, pf->paths[i], &bytes, &len) != LOUPE_OK) return;
  s->pub.len = len;
  loupe_hash(bytes, len, s->pub.hash);
  /* the hash of the bytes as they are finds a page a migrated corpus
   * stored before it had content hashes (store.c, schema.c) */
  lp_bytes_hash(bytes, len, s->ahead.bytes_hash);
  if (want[0] != '\0' && strcmp(want, s->pub.hash) == 0) {
    s->bytes = bytes;
    s->pub.bytes = bytes;
    s->pub.skipped = 1;
    return;
  }
  /* .html, .htm, .xhtml (.gz): read as HTML whatever they look like */
  loupe_parser_set_format(parser, loupe_format_of_path(pf->paths[i]));
  rc = loupe_parse(parser, bytes, len, &s->pub.article);
  if (rc) {
    set_error(s, rc, loupe_errmsg(parser));
  } else {
    /* what depends on the article alone is computed here, off the
     * storing thread: the body's signature, and on a worker the tokens
     * of the full-text index (the caller's own thread would only do the
     * tokenizing twice) */
    const loupe_article *a = s->pub.article;
    if (a->body) {
      lp_minhash(a->body, a->body_len, &s->ahead.sig);
      s->ahead.has_sig = 1;
    }
    if (tok && lp_ftoks_make(tok, a->title.text, a->title.len,
                             a->body ? a->body : "", a->body_len,
                             &s->ahead.toks) != LOUPE_OK)
      lp_ftoks_free(&s->ahead.toks);   /* indexed the usual way */
    s->pub.ahead = &s->ahead;
  }
  free(bytes);
}

/* Under the lock: may page pf->claim be taken now? The ring holds pages
 * cur .. cur + nslots - 1, so a slot is reused only once the caller has
 * released the page before it. The byte bound never stops page cur:
 * while it is unclaimed no later page is held either. */
static int can_claim(const loupe_prefetch *pf) {
  return pf->claim < pf->n && pf->claim < pf->cur + pf->nslots &&
         pf->held < WINDOW_BYTES;
}

/* Under the lock: page s is filled; count its bytes and wake the
 * caller. */
static void mark_ready(loupe_prefetch *pf, slot *s) {
  s->held = s->pub.len + lp_ftoks_bytes(&s->ahead.toks);
  pf->held += s->held;
  s->ready = 1;
  pthread_cond_signal(&pf->filled);       /* only the caller waits */
}

static void *worker_main(void *arg) {
  worker *w = arg;
  loupe_prefetch *pf = w->pf;
  pthread_mutex_lock(&pf->mu);
  for (;;) {
    size_t i;
    slot *s;
    while (!pf->stop && pf->claim < pf->n && !can_claim(pf))
      pthread_cond_wait(&pf->space, &pf->mu);
    if (pf->stop || pf->claim >= pf->n) break;
    i = pf->claim++;
    s = &pf->slots[i % pf->nslots];
    pthread_mutex_unlock(&pf->mu);
    load_page(pf, w->parser, w->tok, i, s);
    pthread_mutex_lock(&pf->mu);
    mark_ready(pf, s);
  }
  pthread_mutex_unlock(&pf->mu);
  return NULL;
}

int loupe_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 4096 ? 4096 : (int)n;
}

/* Copy the list and the expected hashes into pf. */
static int copy_list(loupe_prefetch *pf, const char *const *paths,
                     const char *const *expected, size_t n) {
  size_t i, total = 0;
  char *p;
  for (i = 0; i < n; i++) {
    if (paths[i] == NULL) return LOUPE_EINVAL;
    total += strlen(paths[i]) + 1;
  }
  /* one spare byte each, so that an empty list allocates too */
  pf->paths = malloc(n * sizeof *pf->paths + total + 1);
  pf->expected = calloc(n + 1, LOUPE_HASH_LEN + 1);
  if (pf->paths == NULL || pf->expected == NULL) return LOUPE_ENOMEM;
  p = (char *)(pf->paths + n);
  for (i = 0; i < n; i++) {
    size_t len = strlen(paths[i]) + 1;
    memcpy(p, paths[i], len);
    pf->paths[i] = p;
    p += len;
    if (expected && expected[i] && strlen(expected[i]) == LOUPE_HASH_LEN)
      memcpy(pf->expected + i * (LOUPE_HASH_LEN + 1), expected[i],
             LOUPE_HASH_LEN + 1);
  }
  pf->n = n;
  return LOUPE_OK;
}

/* Start up to want workers with every signal blocked (signals are for
 * the caller's thread; Lua's SIGINT handler, for one, must run there).
 * Sets pf->nthreads to the number started. */
static void start_workers(loupe_prefetch *pf, int want) {
  sigset_t all, old;
  int k;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  for (k = 0; k < want; k++) {
    pf->workers[k].pf = pf;
    if (pthread_create(&pf->threads[k], NULL, worker_main,
                       &pf->workers[k]) != 0)
      break;
    pf->nthreads = k + 1;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * Everything is allocated before the first thread starts, so a failure
 * has nothing running to stop: loupe_prefetch_free releases what was
 * made.
 */
int loupe_prefetch_new(const char *const *paths, const char *const *expected,
                       size_t n, int threads, loupe_prefetch **out) {
  return loupe_prefetch_new_charset(paths, expected, n, threads, NULL, out);
}

int loupe_prefetch_new_charset(const char *const *paths,
                               const char *const *expected, size_t n,
                               int threads, const char *charset,
                               loupe_prefetch **out) {
  loupe_prefetch *pf;
  int rc, k, want;

  if (out == NULL) return LOUPE_EINVAL;
  *out = NULL;
  if ((paths == NULL && n > 0) || threads < 0 ||
      threads > LOUPE_PREFETCH_MAX_THREADS)
    return LOUPE_EINVAL;
  want = (size_t)threads > n ? (int)n : threads;
  pf = calloc(1, sizeof *pf);
  if (pf == NULL) return LOUPE_ENOMEM;
  rc = copy_list(pf, paths, expected, n);
  if (rc) goto fail;
  pf->nslots = want > 0 ? WINDOW_PAGES + SLOTS_PER_THREAD * (size_t)want
                       : 1;
  pf->slots = calloc(pf->nslots, sizeof *pf->slots);
  pf->workers = calloc((size_t)(want > 0 ? want : 1), sizeof *pf->workers);
  pf->threads = calloc((size_t)(want > 0 ? want : 1), sizeof *pf->threads);
  rc = LOUPE_ENOMEM;
  if (pf->slots == NULL || pf->workers == NULL || pf->threads == NULL)
    goto fail;
  pf->nworkers = want;
  if (loupe_parser_new(&pf->own) != LOUPE_OK) goto fail;
  if (loupe_parser_set_charset(pf->own, charset) != LOUPE_OK) {
    rc = LOUPE_EINVAL;
    goto fail;
  }
  for (k = 0; k < want; k++) {
    if (loupe_parser_new(&pf->workers[k].parser) != LOUPE_OK) goto fail;
    loupe_parser_set_charset(pf->workers[k].parser, charset);
    pf->workers[k].tok = lp_ftok_new();      /* NULL: indexed as usual */
  }
  if (pthread_mutex_init(&pf->mu, NULL) != 0) goto fail;
  if (pthread_cond_init(&pf->space, NULL) != 0) {
    pthread_mutex_destroy(&pf->mu);
    goto fail;
  }
  if (pthread_cond_init(&pf->filled, NULL) != 0) {
    pthread_cond_destroy(&pf->space);
    pthread_mutex_destroy(&pf->mu);
    goto fail;
  }
  pf->sync_ok = 1;
  start_workers(pf, want);
  *out = pf;
  return LOUPE_OK;
fail:
  loupe_prefetch_free(pf);
  return rc;
}

int loupe_prefetch_threads(const loupe_prefetch *pf) {
  return pf ? pf->nthreads : 0;
}

/*
 * Wait for page cur; while it is not ready, the caller reads and parses
 * the next unclaimed page itself instead of idling (on two cores this
 * shares the parsing between both).
 */
static void wait_for_turn(loupe_prefetch *pf, slot *s) {
  pthread_mutex_lock(&pf->mu);
  while (!s->ready) {
    if (pf->claim == pf->cur || can_claim(pf)) {
      size_t i = pf->claim++;
      slot *mine = &pf->slots[i % pf->nslots];
      pthread_mutex_unlock(&pf->mu);
      load_page(pf, pf->own, NULL, i, mine);
      mine->at_turn = i == pf->cur;
      pthread_mutex_lock(&pf->mu);
      mark_ready(pf, mine);
    } else {
      pthread_cond_wait(&pf->filled, &pf->mu);
    }
  }
  pthread_mutex_unlock(&pf->mu);
}

/*
 * A page read ahead is judged as the file is now, as a sequential ingest
 * would see it at this turn: gone means unreadable; changed (or
 * unreadable before) means read and parsed again here.
 */
static void check_turn(loupe_prefetch *pf, slot *s) {
  struct stat st;
  file_id now;
  size_t held = s->held;        /* counted in pf->held until released */
  if (s->at_turn) return;
  if (stat(pf->paths[pf->cur], &st) != 0) {
    int err = errno;
    slot_clear(s);
    s->pub.path = pf->paths[pf->cur];
    set_errno(s, err);
  } else {
    id_of(&st, &now);
    if (s->pub.rc != LOUPE_EIO && s->have_id && same_id(&s->id, &now))
      return;
    slot_clear(s);
    load_page(pf, pf->own, NULL, pf->cur, s);
  }
  s->held = held;
}

int loupe_prefetch_next(loupe_prefetch *pf, loupe_page **page) {
  slot *s;
  if (page) *page = NULL;
  if (pf == NULL || page == NULL) return LOUPE_EINVAL;
  if (pf->holding) {
    size_t held;
    s = &pf->slots[pf->cur % pf->nslots];
    held = s->held;
    slot_clear(s);
    pthread_mutex_lock(&pf->mu);
    pf->held -= held;
    pf->holding = 0;
    pf->cur++;
    pthread_cond_broadcast(&pf->space);
    pthread_mutex_unlock(&pf->mu);
  }
  if (pf->cur >= pf->n) return LOUPE_OK;
  s = &pf->slots[pf->cur % pf->nslots];
  wait_for_turn(pf, s);
  check_turn(pf, s);
  pf->holding = 1;
  *page = &s->pub;
  return LOUPE_OK;
}

/*
 * The one release path, for a prefetcher at any stage (also one that
 * failed half-way through loupe_prefetch_new): stop and join the workers
 * first, so nothing else touches the slots, then free everything.
 */
void loupe_prefetch_free(loupe_prefetch *pf) {
  size_t i;
  int k;
  if (pf == NULL) return;
  if (pf->sync_ok) {
    pthread_mutex_lock(&pf->mu);
    pf->stop = 1;
    pthread_cond_broadcast(&pf->space);
    pthread_mutex_unlock(&pf->mu);
    for (k = 0; k < pf->nthreads; k++) pthread_join(pf->threads[k], NULL);
    pf->nthreads = 0;
    pthread_cond_destroy(&pf->filled);
    pthread_cond_destroy(&pf->space);
    pthread_mutex_destroy(&pf->mu);
  }
  if (pf->slots)
    for (i = 0; i < pf->nslots; i++) slot_clear(&pf->slots[i]);
  for (k = 0; k < pf->nworkers; k++) {
    loupe_parser_free(pf->workers[k].parser);
    lp_ftok_free(pf->workers[k].tok);
  }
  loupe_parser_free(pf->own);
  free(pf->slots);
  free(pf->workers);
  free(pf->threads);
  free(pf->paths);
  free(pf->expected);
  free(pf);
}
