/* Fixture: the exit dispatcher coupling.py reads. */
void vmexit_dispatch(struct core *c, struct guest_regs *regs, const struct exit_info *e)
{
    switch (e->reason) {
    case VE_CPUID:
        emulate_cpuid(regs);
        break;
    case VE_HYPERCALL:
        regs->rax = (uint64_t)hypercall_dispatch(c, regs);
        break;
    default:
        break;
    }
}
