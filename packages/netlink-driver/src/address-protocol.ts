// The mark the driver puts on every address it adds (ADR 0010): the kernel's address protocol
// attribute, IFA_PROTO. The kernel keeps it with the address and reports it in every dump, so a
// restarted agent recognises exactly the addresses it added. 0–3 are the kernel's own values
// (unspec, kernel_lo, kernel_ra, kernel_ll); 80 is ASCII "P", for PureLB.

/** IFA_PROTO value of addresses added by this driver. */
export const ADDRESS_PROTOCOL = 80;
