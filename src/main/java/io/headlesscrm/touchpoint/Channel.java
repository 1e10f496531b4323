package io.headlesscrm.touchpoint;

/** The ways to reach a customer. Partner systems do the sending; the CRM records and fans out. */
public enum Channel {
    SMS, EMAIL, APP_PUSH, WECHAT, WECOM, CALL_TASK, SMART_CALL, CUSTOM;

    /** Whether a touchpoint on this channel needs the customer's phone number. */
    boolean needsPhone() {
        return this == SMS || this == SMART_CALL || this == CALL_TASK;
    }

    boolean needsEmail() {
        return this == EMAIL;
    }
}
