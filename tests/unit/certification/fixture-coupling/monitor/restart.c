/* Fixture: no TMR-group restart policy here. */
