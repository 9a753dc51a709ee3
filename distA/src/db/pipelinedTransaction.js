export async function pipelinedTransaction(sql, statements) {
    const tx = await sql.reserve();
    try {
        // A postgres.js query is sent when it is first awaited: in this order, BEGIN first, COMMIT last.
        const begin = tx `begin`;
        const answers = statements(tx);
        const commit = tx `commit`;
        const settled = await Promise.allSettled([begin, ...answers, commit]);
        for (const answer of settled)
            if (answer.status === 'rejected')
                throw answer.reason;
        return settled.slice(1, -1).map((answer) => answer.value);
    }
    finally {
        tx.release();
    }
}
//# sourceMappingURL=pipelinedTransaction.js.map