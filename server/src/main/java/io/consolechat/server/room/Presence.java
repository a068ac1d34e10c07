package io.consolechat.server.room;

import io.consolechat.protocol.EventType;
import io.consolechat.protocol.User;
import io.consolechat.server.auth.Session;
import io.consolechat.server.error.StoreException;
import io.consolechat.server.limit.RateLimit;
import io.consolechat.server.store.EventLog;
import io.consolechat.server.store.EventLog.NewEvent;
import io.consolechat.server.store.PresenceStore;
import io.consolechat.server.store.PresenceStore.Held;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in which room. A user enters with their first open stream on any server instance (a join event)
 * and stays while any instance holds a stream and for a grace period after the last one ends, so that
 * re-polling writes no noise; then, or at an explicit leave, a leave event. Join and leave are written
 * before the call returns.
 *
 * <p>Presence lives in the database ({@link PresenceStore}), so that every instance on a shared database
 * sees the same members. This instance keeps a lease per user and room it holds, renewed by a heartbeat
 * while a stream is open; when the last stream ends the lease is left to run out after the grace period.
 * An instance that dies stops renewing: every instance looks for present users whose leases have all run
 * out and writes their leave, so a dead instance leaves no ghosts after about grace + lease.
 *
 * <p>Users are told apart by their id, not their name: a temporary name that passes to someone else after
 * logout starts a presence of its own.
 */
public final class Presence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    private static final int REAP_BATCH = 100;

    /** One user in one room on this instance. Its lock orders this instance's changes of that presence. */
    private static final class Member {
        final Held held;
        final ReentrantLock lock = new ReentrantLock();
        volatile int streams;
        boolean removed;
        ScheduledFuture<?> pendingLeave;

        Member(Held held) {
            this.held = held;
        }
    }

    private final String instance = UUID.randomUUID().toString();
    private final EventLog events;
    private final PresenceStore store;
    private final Duration grace;
    private final Duration lease;
    private final RateLimit joins;
    private final Clock clock;
    private final Map<String, Map<String, Member>> rooms = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("presence-timer").daemon(true).factory());

    /**
     * {@code joins}: how many rooms a user may enter (a join event each) per period; past it a stream is 429.
     * {@code lease}: how long this instance's hold on a user outlives its last heartbeat.
     */
    public Presence(EventLog events, PresenceStore store, Duration grace, Duration lease, RateLimit joins,
                    Clock clock) {
        this.events = events;
        this.store = store;
        this.grace = grace;
        this.lease = lease;
        this.joins = joins;
        this.clock = clock;
        long beat = Math.max(50, lease.toMillis() / 3);
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::reap, beat, beat, TimeUnit.MILLISECONDS);
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
                if (member.streams > 1) {
                    return;
                }
                cancelPendingLeave(member);
                try {
                    if (!store.isPresent(room, user.userId())) {
                        // Each join may be followed by a leave: limiting joins bounds a user's presence churn.
                        joins.take(user.userId());
                    }
                    store.hold(instance, member.held, clock.instant().plus(lease),
                            () -> write(room, EventType.JOIN, member.held.user()));
                } catch (RuntimeException e) {
                    member.streams--;
                    forgetIfIdle(room, member);
                    throw e;
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
            cancelPendingLeave(member);
            try {
                store.release(instance, room, member.held.userId(), clock.instant().plus(grace));
            } catch (StoreException e) {
                // The lease then runs out on its own, a little later than the grace period.
                log.warn("could not release the presence of {} in {}: {}", member.held.user().name(), room,
                        e.getMessage());
            }
            try {
                member.pendingLeave = timers.schedule(
                        () -> Thread.ofVirtual().name("presence-leave").start(() -> graceEnded(room, member)),
                        grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Presence has closed (shutdown): there is no later to leave in.
            }
        } finally {
            member.lock.unlock();
        }
    }

    private void graceEnded(String room, Member member) {
        member.lock.lock();
        try {
            if (member.streams == 0 && !member.removed) {
                member.pendingLeave = null;
                store.leaveIfUnheld(member.held, clock.instant(),
                        () -> write(room, EventType.LEAVE, member.held.user()));
                forgetIfIdle(room, member);
            }
        } catch (StoreException e) {
            // The presence stays in the database; the search for unheld presence writes the leave later.
            member.pendingLeave = null;
            forgetIfIdle(room, member);
        } finally {
            member.lock.unlock();
        }
    }

    /**
     * An explicit leave: the leave event now, if the user was present, whichever instances hold their
     * streams. Returns whether they were.
     */
    public boolean leave(String room, Session user) {
        var member = existing(room, user);
        if (member == null) {
            return store.leave(new Held(room, user.userId(), user.user()),
                    () -> write(room, EventType.LEAVE, user.user()));
        }
        member.lock.lock();
        try {
            cancelPendingLeave(member);
            boolean left = store.leave(member.held, () -> write(room, EventType.LEAVE, member.held.user()));
            forgetIfIdle(room, member);
            return left;
        } finally {
            member.lock.unlock();
        }
    }

    public List<User> members(String room, int limit) {
        return store.members(room, limit);
    }

    /** How many users are present in each of {@code rooms}; a room nobody is in is left out. */
    public Map<String, Integer> counts(Collection<String> rooms) {
        return store.counts(rooms);
    }

    /** Keeps this instance's leases alive while it has streams open. */
    private void heartbeat() {
        var held = new ArrayList<Held>();
        rooms.values().forEach(members -> members.values().forEach(member -> {
            if (member.streams > 0) {
                held.add(member.held);
            }
        }));
        try {
            store.renew(instance, held, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            log.warn("could not renew presence leases: {}", e.getMessage());
        }
    }

    /** Writes the leave of users whom no instance holds any longer: their instance stopped or died. */
    private void reap() {
        try {
            var now = clock.instant();
            for (var held : store.unheld(now, REAP_BATCH)) {
                var member = existing(held.room(), held.userId());
                if (member != null && (member.streams > 0 || member.pendingLeave != null)) {
                    // This instance holds them; its own timers decide.
                    continue;
                }
                store.leaveIfUnheld(held, now, () -> write(held.room(), EventType.LEAVE, held.user()));
            }
            store.forgetExpired(now.minus(lease));
        } catch (RuntimeException e) {
            log.warn("could not look for expired presence: {}", e.getMessage());
        }
    }

    /**
     * Lets go of every user this instance holds and writes the leave of those no other instance holds;
     * used at shutdown, after the streams have ended.
     */
    @Override
    public void close() {
        timers.shutdownNow();
        var now = clock.instant();
        rooms.forEach((room, members) -> members.values().forEach(member -> {
            member.lock.lock();
            try {
                store.drop(instance, room, member.held.userId());
                store.leaveIfUnheld(member.held, now, () -> write(room, EventType.LEAVE, member.held.user()));
            } catch (StoreException e) {
                // Shutting down anyway; the other instances, or this one's next start, write the leave.
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
            member[0] = live.computeIfAbsent(user.userId(), id -> new Member(new Held(room, id, user.user())));
            return live;
        });
        return member[0];
    }

    private Member existing(String room, Session user) {
        return existing(room, user.userId());
    }

    private Member existing(String room, String userId) {
        var members = rooms.get(room);
        return members == null ? null : members.get(userId);
    }

    /** Forgets a member with nothing left to track, and the room's map once it is empty. */
    private void forgetIfIdle(String room, Member member) {
        if (member.streams == 0 && member.pendingLeave == null) {
            member.removed = true;
            rooms.computeIfPresent(room, (name, members) -> {
                members.remove(member.held.userId(), member);
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
            events.append(new NewEvent(room, type, user, null)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("could not write " + type, e);
        }
    }
}
