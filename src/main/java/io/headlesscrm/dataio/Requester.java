package io.headlesscrm.dataio;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.headlesscrm.security.Actor;

/** Who asked for a background job, and in which request: what its audit rows name, whichever instance runs it. */
@Embeddable
class Requester {

    @Column(name = "actor_type")
    String actorType;
    @Column(name = "actor_id")
    String actorId;
    @Column(name = "actor_name")
    String actorName;
    @Column(name = "client_id")
    String clientId;
    @Column(name = "request_id")
    String requestId;

    protected Requester() {
    }

    Requester(Actor actor, String requestId) {
        this.actorType = actor.type();
        this.actorId = actor.id();
        this.actorName = actor.name();
        this.clientId = actor.clientId();
        this.requestId = requestId;
    }

    Actor actor() {
        return new Actor(actorType, actorId, actorName, clientId);
    }
}
