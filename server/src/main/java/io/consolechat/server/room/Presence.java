package io.consolechat.server.room;

import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.Session;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.limit.RateLimit;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.EventLog.NewEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is in which room. A user enters with their first open stream (a join event) and stays while any
 * stream is open and for a grace period after the last one ends, so that re-polling writes no noise;
 * then, or at an explicit leave, a leave event. Join and leave are written before the call returns.
 * Users are told apart by their id, not their name: a temporary name that passes to someone else after
 * logout starts a presence of its own.
 */
public final class Presence implements AutoCloseable {

    /** One user in one room. Its lock orders that user's join and leave events in that room. */
    private static final class Member {
        final String id;
        final User user;
        final ReentrantLock lock = new ReentrantLock();
        int streams;
        /** Written under the lock; read without it by {@link #members} and {@link #count}. */
        volatile boolean present;
        boolean removed;
        ScheduledFuture<?> pendingLeave;

        Member(String id, User user) {
            this.id = id;
            this.user = user;
        }
    }

    private final EventLog log;
    private final Duration grace;
    private final RateLimit joins;
    private final Map<String, Map<String, Member>> rooms = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("presence-timer").daemon(true).factory());

    /** {@code joins}: how many rooms a user may enter (a join event each) per period; past it a stream is 429. */
    public Presence(EventLog log, Duration grace, RateLimit joins) {
        this.log = log;
        this.grace = grace;
        this.joins = joins;
    }

    /** A stream of {@code user} opened on {@code room}. */
    public void streamOpened(String room, Session user) {
        while (true) {
            var member = memberOf(room, user);
            member.lock.lock();
            try {
                if (member.removed) {
                    continue;
                }
                member.streams++;
                cancelPendingLeave(member);
                if (!member.present) {
                    try {
                        // Each join may be followed by a leave: limiting joins bounds a user's presence churn.
                        joins.take(user.userId());
                        write(room, EventType.JOIN, member.user);
                    } catch (RuntimeException e) {
                        member.streams--;
                        forgetIfIdle(room, member);
                        throw e;
                    }
                    member.present = true;
                }
                return;
            } finally {
                member.lock.unlock();
            }
        }
    }

    /** A stream of {@code user} on {@code room} ended; the last one starts the grace period. */
    public void streamClosed(String room, Session user) {
        var member = existing(room, user);
        if (member == null) {
            return;
        }
        member.lock.lock();
        try {
            member.streams = Math.max(0, member.streams - 1);
            if (member.streams > 0) {
                return;
            }
            if (member.present) {
                cancelPendingLeave(member);
                try {
                    member.pendingLeave = timers.schedule(
                            () -> Thread.ofVirtual().name("presence-leave").start(() -> graceEnded(room, member)),
                            grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // Presence has closed (shutdown): there is no later to leave in.
                }
            } else {
                forgetIfIdle(room, member);
            }
        } finally {
            member.lock.unlock();
        }
    }

    private void graceEnded(String room, Member member) {
        member.lock.lock();
        try {
            if (member.streams == 0 && member.present && !member.removed) {
                member.pendingLeave = null;
                writeLeave(room, member);
            }
        } catch (StoreException e) {
            // The leave is lost, but presence stays truthful in memory; nothing else can be done here.
            member.present = false;
            forgetIfIdle(room, member);
        } finally {
            member.lock.unlock();
        }
    }

    /** An explicit leave: the leave event now, if the user was present. Returns whether they were. */
    public boolean leave(String room, Session user) {
        var member = existing(room, user);
        if (member == null) {
            return false;
        }
        member.lock.lock();
        try {
            cancelPendingLeave(member);
            if (!member.present) {
                return false;
            }
            writeLeave(room, member);
            return true;
        } finally {
            member.lock.unlock();
        }
    }

    private void writeLeave(String room, Member member) {
        write(room, EventType.LEAVE, member.user);
        member.present = false;
        forgetIfIdle(room, member);
    }

    public List<User> members(String room, int limit) {
        var result = new ArrayList<User>();
        var members = rooms.get(room);
        if (members != null) {
            for (var member : members.values()) {
                if (member.present && result.size() < limit) {
                    result.add(member.user);
                }
            }
        }
        return result;
    }

    public int count(String room) {
        var members = rooms.get(room);
        if (members == null) {
            return 0;
        }
        return (int) members.values().stream().filter(m -> m.present).count();
    }

    /** Writes the leave event of everyone still present; used at shutdown, after the streams have ended. */
    @Override
    public void close() {
        timers.shutdownNow();
        rooms.forEach((room, members) -> members.values().forEach(member -> {
            member.lock.lock();
            try {
                if (member.present) {
                    writeLeave(room, member);
                }
            } catch (StoreException e) {
                // Shutting down anyway.
            } finally {
                member.lock.unlock();
            }
        }));
    }

    /** The user's member entry in the room, created if needed; the room's map is created in the same step. */
    private Member memberOf(String room, Session user) {
        var member = new Member[1];
        rooms.compute(room, (name, members) -> {
            var live = members == null ? new ConcurrentHashMap<String, Member>() : members;
            member[0] = live.computeIfAbsent(user.userId(), id -> new Member(id, user.user()));
            return live;
        });
        return member[0];
    }

    private Member existing(String room, Session user) {
        var members = rooms.get(room);
        return members == null ? null : members.get(user.userId());
    }

    /** Forgets a member with nothing left to track, and the room's map once it is empty. */
    private void forgetIfIdle(String room, Member member) {
        if (member.streams == 0 && !member.present && member.pendingLeave == null) {
            member.removed = true;
            rooms.computeIfPresent(room, (name, members) -> {
                members.remove(member.id, member);
                return members.isEmpty() ? null : members;
            });
        }
    }

    private static void cancelPendingLeave(Member member) {
        if (member.pendingLeave != null) {
            member.pendingLeave.cancel(false);
            member.pendingLeave = null;
        }
    }

    private void write(String room, EventType type, User user) {
        try {
            log.append(new NewEvent(room, type, user, null)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("could not write " + type, e);
        }
    }
}
