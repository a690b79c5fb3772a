/* A negative control for tests/sanitizers/tsan.supp: two threads touch `shared` only under one
 * GMutex, so there is no race; ThreadSanitizer reports one all the same, because GLib on Linux
 * builds GMutex and GCond on futex system calls that TSan does not see.
 *
 *   gcc -fsanitize=thread -g glib_mutex.c $(pkg-config --cflags --libs glib-2.0) && ./a.out
 */
#include <glib.h>

static GMutex lock;
static int shared;

static gpointer worker(gpointer data)
{
    g_mutex_lock(&lock);
    shared++;
    g_mutex_unlock(&lock);
    return data;
}

int main(void)
{
    GThread* thread = g_thread_new("worker", worker, NULL);
    g_usleep(100000);
    g_mutex_lock(&lock);
    shared++;
    g_mutex_unlock(&lock);
    g_thread_join(thread);
    return shared == 2 ? 0 : 1;
}
